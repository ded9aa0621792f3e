package storetest

import (
	"fmt"

	"github.com/assay-platform/assay"
)

// testMonitorStreamedRun crosses the 20,000 transitions PostgreSQL writes
// while a run is still being applied (with their monitor_failing rows;
// SQLite writes them all at the end): the same rows result, whether a
// resource's transitions went early or late, renamed, fixed or gone.
func testMonitorStreamedRun(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	const checks, hosts = 10, 2300
	results := func(status func(c, h int) assay.CheckStatus, skip func(h int) bool, name func(h int) string) []assay.CheckResult {
		var out []assay.CheckResult
		for h := range hosts {
			if skip(h) {
				continue
			}
			for c := range checks {
				r := mresult(fmt.Sprintf("check-%02d", c), fmt.Sprintf("host-%04d", h), status(c, h))
				r.ResourceName = name(h)
				out = append(out, r)
			}
		}
		return out
	}
	none := func(int) bool { return false }
	plain := func(h int) string { return fmt.Sprintf("host-%04d:443", h) }
	e.record(o, src, assay.RunOK, results(func(int, int) assay.CheckStatus { return assay.CheckPass }, none, plain)...)

	// Every pair fails: 23,000 transitions, some resources renamed.
	renamed := func(h int) string {
		if h%100 == 0 {
			return fmt.Sprintf("renamed-%04d", h)
		}
		return plain(h)
	}
	_, ch := e.record(o, src, assay.RunOK, results(func(int, int) assay.CheckStatus { return assay.CheckFail }, none, renamed)...)
	if len(ch) != checks*hosts {
		t.Fatalf("second run: %d changes", len(ch))
	}
	e.checkNotPassing(o, "all failing", "")
	for _, p := range must(o.NotPassingChecks(e.Ctx, 2)).get(t) {
		if p.Status != assay.CheckFail || p.Count != hosts || p.First[0] != "host-0001:443" {
			t.Fatalf("all failing: %+v", p)
		}
	}

	// A tenth gone, odd hosts fixed, check-00 in error on the rest.
	gone := func(h int) bool { return h%10 == 0 }
	_, ch = e.record(o, src, assay.RunOK, results(func(c, h int) assay.CheckStatus {
		switch {
		case h%2 == 1:
			return assay.CheckPass
		case c == 0:
			return assay.CheckError
		}
		return assay.CheckFail
	}, gone, renamed)...)
	if want := checks*hosts/10 + checks*hosts/2 + (hosts/2 - hosts/10); len(ch) != want {
		t.Fatalf("third run: %d changes, want %d", len(ch), want)
	}
	e.checkNotPassing(o, "fixed, gone and in error", "")
	for _, p := range must(o.NotPassingChecks(e.Ctx, 2)).get(t) {
		want := assay.CheckFail
		if p.CheckID == "check-00" {
			want = assay.CheckError
		}
		if p.Status != want || p.Count != hosts/2-hosts/10 || p.First[0] != "host-0002:443" {
			t.Fatalf("fixed, gone and in error: %+v", p)
		}
	}
	if h := must(o.CheckHistory(e.Ctx, "check-00", src.ID, "", Epoch, e.Clock.Now())).get(t); len(h) != 2*hosts {
		t.Fatalf("history = %d transitions, want %d", len(h), 2*hosts)
	}
}
