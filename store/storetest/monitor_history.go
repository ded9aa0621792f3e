package storetest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// The history side of monitoring: transitions, what an error run keeps,
// findings and the per-check daily roll-up.

func testMonitorTransitions(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	t0 := e.Clock.Now()
	first := []assay.CheckResult{mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail),
		mresult("http-hsts", "a", assay.CheckFail), mresult("http-hsts", "b", assay.CheckPass)}
	run1, ch := e.record(o, src, assay.RunOK, first...)
	if got := changeText(ch); got != "http-hsts/a:>fail http-tls/b:>fail" {
		t.Fatalf("first run changes = %s", got)
	}
	if run1.Resources != 2 || run1.Pass != 2 || run1.Fail != 2 || run1.Digest != assay.RunDigestV2(first) || run1.DigestVersion != assay.DigestV2 {
		t.Fatalf("run 1 = %+v", run1)
	}
	// The stored run says which digest it has, and its results verify.
	if got, err := o.Run(e.Ctx, run1.ID); err != nil || got.DigestVersion != assay.DigestV2 || assay.VerifyRunDigest(got, first) != nil {
		t.Fatalf("stored run 1 = %+v, %v", got, err)
	}
	// The same results in another order: no change, the same digest.
	t1 := e.Clock.Now()
	run2, ch := e.record(o, src, assay.RunOK, first[3], first[1], first[0], first[2])
	if len(ch) != 0 || run2.Digest != run1.Digest {
		t.Fatalf("unchanged run: changes %s, digest %s vs %s", changeText(ch), run2.Digest, run1.Digest)
	}
	t2 := e.Clock.Now()
	second := slices.Clone(first)
	second[1] = mresult("http-tls", "b", assay.CheckPass)
	second[2].Reason = "another reason, same status"
	_, ch = e.record(o, src, assay.RunOK, second...)
	if got := changeText(ch); got != "http-tls/b:fail>pass" {
		t.Fatalf("third run changes = %s", got)
	}
	hist := must(o.CheckHistory(e.Ctx, "http-tls", 0, "", t0, t2.Add(time.Hour))).get(t)
	if len(hist) != 2 || hist[0].Status != assay.CheckFail || hist[1].Status != assay.CheckPass || hist[0].ResourceID != "b" ||
		!hist[0].At.Equal(t0) || !hist[1].At.Equal(t2) || hist[0].Reason == "" || hist[0].SourceID != src.ID {
		t.Fatalf("history = %+v", hist)
	}
	if h := must(o.CheckHistory(e.Ctx, "http-tls", src.ID, "a", t0, t2)).get(t); len(h) != 0 {
		t.Fatalf("a never changed, history = %+v", h)
	}
	for _, c := range []struct {
		check, res string
		at         time.Time
		want       assay.CheckStatus
	}{
		{"http-tls", "b", t0.Add(-time.Minute), ""},
		{"http-tls", "b", t0, assay.CheckFail},
		{"http-tls", "b", t1.Add(time.Minute), assay.CheckFail},
		{"http-tls", "b", t2, assay.CheckPass},
		{"http-tls", "a", t1, assay.CheckPass},
		{"http-tls", "a", t0.Add(-time.Second), ""},
		{"http-hsts", "a", t2.Add(time.Hour), assay.CheckFail},
		{"http-nope", "a", t2, ""},
	} {
		got, reason, err := o.StatusAt(e.Ctx, c.check, 0, c.res, c.at)
		check(t, err, "status at")
		if got != c.want || (got == assay.CheckFail) != (reason != "") {
			t.Fatalf("StatusAt(%s, %s, %v) = %q %q, want %q", c.check, c.res, c.at, got, reason, c.want)
		}
	}
	cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{Status: assay.CheckFail})).get(t)
	if len(cur) != 1 || cur[0].CheckID != "http-hsts" || cur[0].ResourceID != "a" || cur[0].Reason != "another reason, same status" || !cur[0].Since.Equal(t0) {
		t.Fatalf("current failing = %+v", cur)
	}
	if all := must(o.CurrentResults(e.Ctx, assay.ResultFilter{SourceID: src.ID})).get(t); len(all) != 4 {
		t.Fatalf("current = %+v", all)
	}
	if runs := must(o.Runs(e.Ctx, src.ID, 0)).get(t); len(runs) != 3 || runs[0].ID <= runs[2].ID {
		t.Fatalf("runs = %+v", runs)
	}
	jsonEq(t, must(o.Run(e.Ctx, run1.ID)).get(t), run1, "run re-read")
	n := 0
	for _, a := range e.Activity(o) {
		if a.Action == "monitor.run" {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("monitor.run entries = %d, want one per run", n)
	}
}

func testMonitorErrorKeeps(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail))
	tErr := e.Clock.Now()
	down := assay.CheckResult{CheckID: "http-tls", Status: assay.CheckError, Reason: "connection refused"}
	run, ch := e.record(o, src, assay.RunError, down)
	if got := changeText(ch); got != "http-tls/:>error" || run.Errors != 1 {
		t.Fatalf("error run: %s %+v", got, run)
	}
	cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t)
	if len(cur) != 3 {
		t.Fatalf("after the error, current = %+v", cur)
	}
	if s, _ := statusOf(o.StatusAt(e.Ctx, "http-tls", src.ID, "a", tErr.Add(time.Minute))); s != assay.CheckPass {
		t.Fatalf("a after the error = %q", s)
	}
	if s, r := statusOf(o.StatusAt(e.Ctx, "http-tls", src.ID, "", tErr)); s != assay.CheckError || r != "connection refused" {
		t.Fatalf("source level = %q %q", s, r)
	}
	if got := must(o.Source(e.Ctx, src.ID)).get(t); got.LastStatus != "error" {
		t.Fatalf("source = %+v", got)
	}
	// An ok run reporting a error result for a resource still never marks the others gone.
	_, ch = e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass))
	if got := changeText(ch); got != "http-tls/:error>gone http-tls/b:fail>gone" {
		t.Fatalf("recovery changes = %s", got)
	}
	if f := must(o.Findings(e.Ctx, true)).get(t); len(f) != 0 {
		t.Fatalf("finding of a gone resource still open: %+v", f)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t); len(cur) != 1 || cur[0].ResourceID != "a" {
		t.Fatalf("after recovery, current = %+v", cur)
	}
	if s, _ := statusOf(o.StatusAt(e.Ctx, "http-tls", src.ID, "b", e.Clock.Now())); s != "" {
		t.Fatalf("gone resource status = %q", s)
	}
	// It comes back failing: a new change from gone.
	_, ch = e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail))
	if got := changeText(ch); got != "http-tls/b:gone>fail" {
		t.Fatalf("return changes = %s", got)
	}
}

// statusOf returns StatusAt's answer, panicking on an error (the
// subtest fails).
func statusOf(s assay.CheckStatus, reason string, err error) (assay.CheckStatus, string) {
	if err != nil {
		panic(err)
	}
	return s, reason
}

func testMonitorFindings(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	sam := e.User(o, "sam@acme.example", assay.RoleMember)
	e.Update(o, "AC-01", assay.ControlPatch{OwnerID: &sam.ID})
	src := e.newSource(o, "web")
	before := len(e.Activity(o))
	opened := e.Clock.Now()
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckFail), mresult("http-tls", "b", assay.CheckPass), mresult("http-other", "a", assay.CheckFail))
	fs := must(o.Findings(e.Ctx, true)).get(t)
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	var f assay.Finding
	for _, x := range fs {
		if x.CheckID == "http-tls" {
			f = x
		}
	}
	if f.ResourceID != "a" || f.OwnerID != sam.ID || f.OwnerName != sam.Name || f.Severity != assay.SeverityHigh || f.ClosedAt != nil ||
		!slices.Equal(f.Controls, []string{"GV-01", "AC-01"}) || !f.OpenedAt.Equal(opened) || f.CorrectiveActionID == 0 || f.Failing != 1 {
		t.Fatalf("finding = %+v", f)
	}
	ca := must(o.CorrectiveAction(e.Ctx, f.CorrectiveActionID)).get(t)
	if ca.Source != assay.SourceFailingCheck || ca.SourceRef != fmt.Sprintf("finding:%d", f.ID) || ca.OwnerID != sam.ID ||
		!ca.DueDate.Equal(assay.Day(opened).AddDate(0, 0, 14)) || ca.Status != assay.CorrectiveOpen || !strings.Contains(ca.Title, "Strong TLS") {
		t.Fatalf("corrective action = %+v", ca)
	}
	if fc := must(o.FailingByCheck(e.Ctx)).get(t); fc["http-tls"] != 1 || fc["http-other"] != 1 || len(fc) != 2 {
		t.Fatalf("failing by check = %v", fc)
	}
	entries := e.Activity(o)[:len(e.Activity(o))-before]
	if len(entries) != 1 || entries[0].Action != "monitor.run" {
		t.Fatalf("one run wrote %d entries", len(entries))
	}
	// A second resource fails the same check: still one finding, two failing.
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckFail), mresult("http-tls", "b", assay.CheckFail), mresult("http-other", "a", assay.CheckFail))
	tls := func() assay.Finding {
		for _, x := range must(o.Findings(e.Ctx, false)).get(t) {
			if x.ID == f.ID {
				return x
			}
		}
		t.Fatal("finding gone")
		return assay.Finding{}
	}
	if n, x := len(must(o.Findings(e.Ctx, false)).get(t)), tls(); n != 2 || x.Failing != 2 || x.ClosedAt != nil {
		t.Fatalf("findings after a second failure = %d, %+v", n, x)
	}
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail), mresult("http-other", "a", assay.CheckFail))
	if x := tls(); x.Failing != 1 || x.ClosedAt != nil {
		t.Fatalf("finding with one resource still failing = %+v", x)
	}
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckPass), mresult("http-other", "a", assay.CheckFail))
	closed := 0
	if x := tls(); x.ClosedAt != nil && x.ClosedRunID != 0 && x.Failing == 0 {
		closed++
	}
	ca = must(o.CorrectiveAction(e.Ctx, f.CorrectiveActionID)).get(t)
	if closed != 1 || ca.Status != assay.CorrectiveDone || !strings.Contains(ca.VerificationNotes, "passes again") {
		t.Fatalf("corrective action after recovery = %+v", ca)
	}
	if fc := must(o.FailingByCheck(e.Ctx)).get(t); fc["http-tls"] != 0 || fc["http-other"] != 1 {
		t.Fatalf("failing by check = %v", fc)
	}
	// Failing again opens a new finding.
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckFail), mresult("http-tls", "b", assay.CheckPass), mresult("http-other", "a", assay.CheckFail))
	if open := must(o.Findings(e.Ctx, true)).get(t); len(open) != 2 || open[0].ID == f.ID || open[1].ID == f.ID {
		t.Fatalf("open findings = %+v", open)
	}
}

func testMonitorCheckDays(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	day1 := assay.Day(e.Clock.Now())
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail))
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckPass))
	e.Clock.Advance(24 * time.Hour)
	e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckPass))
	days := must(o.CheckDays(e.Ctx, day1, day1.AddDate(0, 0, 29))).get(t)
	d := days["http-tls"]
	if len(days) != 1 || len(d) != 2 || !d[0].Day.Equal(day1) || d[0].Pass != 3 || d[0].Fail != 1 || !strings.Contains(d[0].Reason, "b:443") ||
		!d[1].Day.Equal(day1.AddDate(0, 0, 1)) || d[1].Pass != 2 || d[1].Fail != 0 || d[1].Reason != "" {
		t.Fatalf("days = %+v", days)
	}
	if later := must(o.CheckDays(e.Ctx, day1.AddDate(0, 0, 1), day1.AddDate(0, 0, 1))).get(t); len(later["http-tls"]) != 1 {
		t.Fatalf("one day = %+v", later)
	}
}
