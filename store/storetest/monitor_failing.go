package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// The failing pairs the runs maintain (NotPassingChecks): after every kind
// of write they agree with what the current results say, which is what
// readiness read before.

// notPassingOracle summarises CurrentResults over the enabled sources the
// way NotPassingChecks must.
func (e *Env) notPassingOracle(o store.OrgStore, named int) []assay.NotPassingCheck {
	t := e.T
	t.Helper()
	enabled := map[int64]string{}
	for _, s := range must(o.Sources(e.Ctx)).get(t) {
		if s.Enabled {
			enabled[s.ID] = s.Name
		}
	}
	type group struct {
		check  string
		status assay.CheckStatus
	}
	names := map[group]map[string]bool{}
	for _, r := range must(o.CurrentResults(e.Ctx, assay.ResultFilter{NotPassing: true, NoReasons: true, Limit: 1 << 30})).get(t) {
		src, ok := enabled[r.SourceID]
		if !ok {
			continue
		}
		what := r.ResourceName
		if what == "" {
			what = r.ResourceID
		}
		if r.ResourceID == "" {
			what = "source " + src
		}
		g := group{r.CheckID, r.Status}
		if names[g] == nil {
			names[g] = map[string]bool{}
		}
		names[g][what] = true
	}
	out := []assay.NotPassingCheck{}
	for g, set := range names {
		list := make([]string, 0, len(set))
		for w := range set {
			list = append(list, w)
		}
		sort.Strings(list)
		out = append(out, assay.NotPassingCheck{CheckID: g.check, Status: g.status, Count: len(list), First: list[:min(named, len(list))]})
	}
	slices.SortFunc(out, func(x, y assay.NotPassingCheck) int {
		if c := strings.Compare(x.CheckID, y.CheckID); c != 0 {
			return c
		}
		return strings.Compare(string(x.Status), string(y.Status))
	})
	return out
}

func notPassingText(list []assay.NotPassingCheck) string {
	var b strings.Builder
	for _, p := range list {
		fmt.Fprintf(&b, "%s %s %d [%s]; ", p.CheckID, p.Status, p.Count, strings.Join(p.First, ", "))
	}
	return b.String()
}

// checkNotPassing compares NotPassingChecks with the oracle and with want
// (its text, unless "").
func (e *Env) checkNotPassing(o store.OrgStore, step, want string) {
	e.T.Helper()
	got := notPassingText(must(o.NotPassingChecks(e.Ctx, 2)).get(e.T))
	if oracle := notPassingText(e.notPassingOracle(o, 2)); got != oracle {
		e.T.Fatalf("%s: not passing = %q, the current results say %q", step, got, oracle)
	}
	if want != "" && got != want {
		e.T.Fatalf("%s: not passing = %q, want %q", step, got, want)
	}
}

// testMonitorNotPassing: the summary follows runs that fail, fix, rename,
// err at the source level, drop resources and delete checks, counts a name
// shared by two sources once, and leaves out disabled sources.
func testMonitorNotPassing(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	e.checkNotPassing(o, "no runs", "")
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	web := e.newSource(o, "web")
	e.record(o, web, assay.RunOK, mresult("http-tls", "a", assay.CheckFail), mresult("http-tls", "b", assay.CheckFail),
		mresult("http-tls", "c", assay.CheckFail), mresult("http-tls", "d", assay.CheckPass), mresult("http-hsts", "a", assay.CheckError),
		mresult("custom-telnet", "a", assay.CheckFail))
	e.checkNotPassing(o, "first run", "custom-telnet fail 1 [a:443]; http-hsts error 1 [a:443]; http-tls fail 3 [a:443, b:443]; ")

	// A run that fixes a resource removes its pair; one that breaks another adds it.
	e.record(o, web, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail),
		mresult("http-tls", "c", assay.CheckFail), mresult("http-tls", "d", assay.CheckFail), mresult("http-hsts", "a", assay.CheckPass),
		mresult("custom-telnet", "a", assay.CheckFail))
	e.checkNotPassing(o, "fixed a", "custom-telnet fail 1 [a:443]; http-tls fail 3 [b:443, c:443]; ")

	// A renamed resource is named by its new name; error to fail moves it.
	renamed := mresult("http-tls", "b", assay.CheckError)
	renamed.ResourceName = "zz-b"
	e.record(o, web, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), renamed,
		mresult("http-tls", "c", assay.CheckFail), mresult("http-tls", "d", assay.CheckFail), mresult("custom-telnet", "a", assay.CheckFail))
	e.checkNotPassing(o, "renamed b", "custom-telnet fail 1 [a:443]; http-tls error 1 [zz-b]; http-tls fail 2 [c:443, d:443]; ")
	renamed.Status, renamed.ResourceName = assay.CheckFail, "b-again"
	e.record(o, web, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), renamed,
		mresult("http-tls", "c", assay.CheckFail), mresult("http-tls", "d", assay.CheckFail), mresult("custom-telnet", "a", assay.CheckFail))
	e.checkNotPassing(o, "renamed b again", "custom-telnet fail 1 [a:443]; http-tls fail 3 [b-again, c:443]; ")

	// A second source failing on a resource of the same name: counted once.
	api := e.newSource(o, "api")
	e.record(o, api, assay.RunOK, mresult("http-tls", "c", assay.CheckFail), mresult("http-tls", "e", assay.CheckFail))
	e.checkNotPassing(o, "second source", "custom-telnet fail 1 [a:443]; http-tls fail 4 [b-again, c:443]; ")

	// A source-level error is named after the source (and keeps the rest).
	e.record(o, api, assay.RunError, assay.CheckResult{CheckID: "http-tls", Status: assay.CheckError, Reason: "connection refused"})
	e.checkNotPassing(o, "source error", "custom-telnet fail 1 [a:443]; http-tls error 1 [source api]; http-tls fail 4 [b-again, c:443]; ")
	// Read on their own, the source-level results are those of all with no resource.
	var want []assay.CurrentResult
	for _, r := range must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t) {
		if r.ResourceID == "" {
			want = append(want, r)
		}
	}
	if got := must(o.CurrentResults(e.Ctx, assay.ResultFilter{SourceLevel: true})).get(t); len(want) != 1 || !reflect.DeepEqual(got, want) {
		t.Fatalf("source level = %+v, want %+v", got, want)
	}
	if got, more, err := o.CurrentResultsPage(e.Ctx, assay.ResultFilter{SourceLevel: true}, assay.ResultKey{}, 10); err != nil || more || !reflect.DeepEqual(got, want) {
		t.Fatalf("source level page = %+v %v %v, want %+v", got, more, err, want)
	}
	if got := must(o.CurrentResults(e.Ctx, assay.ResultFilter{SourceLevel: true, SourceID: web.ID})).get(t); len(got) != 0 {
		t.Fatalf("web's source level = %+v", got)
	}
	// Renamed, the source names its error by its new name.
	upd := must(o.Source(e.Ctx, api.ID)).get(t)
	upd.Name = "api2"
	api = must(o.UpdateSource(e.Ctx, Actor, api.ID, upd, nil)).get(t)
	e.checkNotPassing(o, "source renamed", "custom-telnet fail 1 [a:443]; http-tls error 1 [source api2]; http-tls fail 4 [b-again, c:443]; ")
	// Asked again, with nothing changed: the same (the summary kept).
	e.checkNotPassing(o, "asked again", "custom-telnet fail 1 [a:443]; http-tls error 1 [source api2]; http-tls fail 4 [b-again, c:443]; ")

	// A disabled source drops out; enabled again, it counts.
	must(o.SetSourceEnabled(e.Ctx, Actor, api.ID, false)).get(t)
	e.checkNotPassing(o, "api disabled", "custom-telnet fail 1 [a:443]; http-tls fail 3 [b-again, c:443]; ")
	must(o.SetSourceEnabled(e.Ctx, Actor, api.ID, true)).get(t)
	e.checkNotPassing(o, "api enabled", "")

	// An ok run without the source error and without e: both gone.
	e.record(o, api, assay.RunOK, mresult("http-tls", "c", assay.CheckFail))
	e.checkNotPassing(o, "api recovered", "custom-telnet fail 1 [a:443]; http-tls fail 3 [b-again, c:443]; ")

	// A deleted check's pairs go with it.
	check(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), "delete check")
	e.checkNotPassing(o, "check deleted", "http-tls fail 3 [b-again, c:443]; ")

	// Another organisation sees none of it.
	_, other := e.Org("globex")
	e.checkNotPassing(other, "other organisation", "")
}
