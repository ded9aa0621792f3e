// Package collecttest holds what the collectors' tests share: loading a
// check library file with its pass and fail examples verified, evaluating
// it over collected resources, and checking that a collector and the
// library's examples agree on the attributes of a kind.
package collecttest

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/monitor"
)

// libraryCheck is one entry of a check library file.
type libraryCheck struct {
	assay.Check
	Examples struct {
		Pass []assay.Resource `json:"pass"`
		Fail []assay.Resource `json:"fail"`
	} `json:"examples"`
}

// Library compiles every check of a library file and verifies its
// examples, so a broken file fails here as well as in the library test.
func Library(t testing.TB, file string) map[string]*monitor.Program {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Checks []libraryCheck }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	progs := map[string]*monitor.Program{}
	for _, c := range doc.Checks {
		p, err := monitor.Compile(c.Check)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		progs[c.ID] = p
		if len(c.Examples.Pass) == 0 || len(c.Examples.Fail) == 0 {
			t.Errorf("%s: needs pass and fail examples", c.ID)
		}
		for _, r := range c.Examples.Pass {
			if got := p.Eval(r); got.Status != assay.CheckPass {
				t.Errorf("%s: pass example gave %s: %s", c.ID, got.Status, got.Reason)
			}
		}
		for _, r := range c.Examples.Fail {
			got := p.Eval(r)
			if got.Status != assay.CheckFail || !strings.Contains(got.Reason, r.Name) || strings.Contains(got.Reason, "<no value>") {
				t.Errorf("%s: fail example gave %s: %q", c.ID, got.Status, got.Reason)
			}
		}
	}
	return progs
}

// Evaluate runs every program over the resources of its kind and returns
// the status per check id (each kind has one resource here).
func Evaluate(t testing.TB, progs map[string]*monitor.Program, res []assay.Resource) map[string]assay.CheckResult {
	t.Helper()
	out := map[string]assay.CheckResult{}
	for id, p := range progs {
		for _, r := range res {
			if r.Kind == p.Check().Kind {
				out[id] = p.Eval(r)
			}
		}
	}
	return out
}

// SameKeys asserts that a collected resource has exactly the attributes
// the library's examples of its kind use, so checks and collector agree.
func SameKeys(t testing.TB, file string, r assay.Resource) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Checks []libraryCheck }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Checks {
		for _, ex := range append(c.Examples.Pass, c.Examples.Fail...) {
			if ex.Kind != r.Kind {
				continue
			}
			for k := range ex.Attrs {
				if _, ok := r.Attrs[k]; !ok {
					t.Errorf("%s: example of %s uses %s, which the collector does not produce", r.Kind, c.ID, k)
				}
			}
			for k := range r.Attrs {
				if _, ok := ex.Attrs[k]; !ok {
					t.Errorf("%s: collector produces %s, missing from the examples of %s", r.Kind, k, c.ID)
				}
			}
			return
		}
	}
	t.Errorf("no example of kind %s", r.Kind)
}

// RunLibrary evaluates the library's checks whose ids start with prefix
// over res with the real engine, as a source's run would, and reports
// every error result: a library check must never fail to evaluate on what
// its collector produces.
func RunLibrary(t testing.TB, prefix string, res []assay.Resource) []assay.CheckResult {
	t.Helper()
	checks, err := catalog.LibraryCheckList()
	if err != nil {
		t.Fatal(err)
	}
	checks = slices.DeleteFunc(checks, func(c assay.Check) bool { return !strings.HasPrefix(c.ID, prefix) })
	if len(checks) == 0 {
		t.Fatalf("no library check starts with %q", prefix)
	}
	e, err := monitor.NewEngine(checks)
	if err != nil {
		t.Fatal(err)
	}
	out := e.Evaluate(context.Background(), res)
	for _, r := range out {
		if r.Status == assay.CheckError {
			t.Errorf("%s on %s: error: %s", r.CheckID, r.ResourceID, r.Reason)
		}
	}
	return out
}
