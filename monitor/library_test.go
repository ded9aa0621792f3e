package monitor

import (
	"context"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// minLibraryChecks is what the issue promises the library ships.
const minLibraryChecks = 80

// Every library check compiles; each of its pass examples passes and each
// fail example fails with a reason that names the resource and has no
// hole where a template reached for a missing attribute.
func TestLibraryExamples(t *testing.T) {
	lib, err := catalog.LibraryChecks()
	if err != nil {
		t.Fatal(err)
	}
	for _, lc := range lib {
		t.Run(lc.ID, func(t *testing.T) {
			p, err := Compile(lc.Check)
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			for _, res := range lc.Examples.Pass {
				if got := p.Eval(res); got.Status != assay.CheckPass {
					t.Errorf("pass example %q: %s: %s", res.ID, got.Status, got.Reason)
				}
			}
			for _, res := range lc.Examples.Fail {
				got := p.Eval(res)
				switch {
				case got.Status != assay.CheckFail:
					t.Errorf("fail example %q: %s: %s", res.ID, got.Status, got.Reason)
				case !strings.Contains(got.Reason, res.Name):
					t.Errorf("fail example %q: reason %q does not name %q", res.ID, got.Reason, res.Name)
				case strings.Contains(got.Reason, "<no value>"):
					t.Errorf("fail example %q: reason %q reaches for a missing value", res.ID, got.Reason)
				case strings.Contains(got.Reason, "reason template:"):
					t.Errorf("fail example %q: reason template failed: %q", res.ID, got.Reason)
				}
			}
		})
	}
}

// The whole library builds one engine (ids unique across files), and an
// engine sweep over every example agrees with the examples.
func TestLibraryEngine(t *testing.T) {
	checks, err := catalog.LibraryCheckList()
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(checks)
	if err != nil {
		t.Fatal(err)
	}
	lib, _ := catalog.LibraryChecks()
	for _, lc := range lib {
		results := e.Evaluate(context.Background(), lc.Examples.Fail)
		failed := false
		for _, r := range results {
			if r.CheckID == lc.ID && r.Status == assay.CheckFail {
				failed = true
			}
		}
		if !failed {
			t.Errorf("%s: the engine sweep did not fail its fail examples", lc.ID)
		}
	}
}

func TestLibrarySize(t *testing.T) {
	lib, err := catalog.LibraryChecks()
	if err != nil {
		t.Fatal(err)
	}
	if len(lib) < minLibraryChecks {
		t.Fatalf("the library holds %d checks; the issue asks for at least %d", len(lib), minLibraryChecks)
	}
}
