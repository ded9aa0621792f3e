package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var monitorTests = []subtest{
	{"MonitorSources", testMonitorSources},
	{"MonitorClaimExactlyOnce", testMonitorClaim},
	{"MonitorTransitionsOnlyOnChange", testMonitorTransitions},
	{"MonitorErrorNeverWipes", testMonitorErrorKeeps},
	{"MonitorFindingsAndCorrectiveActions", testMonitorFindings},
	{"MonitorCheckDays", testMonitorCheckDays},
	{"MonitorBadRunChangesNothing", testMonitorBadRun},
	{"MonitorTenancy", testMonitorTenancy},
	{"MonitorCustomChecks", testMonitorCustomChecks},
	{"MonitorDeletedCheckEnds", testMonitorDeletedCheck},
	{"MonitorLargeRun", testMonitorLargeRun},
}

// testMonitorLargeRun crosses the store's insert batches (400 rows).
func testMonitorLargeRun(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	var results []assay.CheckResult
	for i := range 450 {
		id := fmt.Sprintf("host-%03d", i)
		results = append(results, mresult("http-tls", id, assay.CheckFail), mresult("http-hsts", id, assay.CheckPass))
	}
	_, ch := e.record(o, src, assay.RunOK, results...)
	if len(ch) != 450 {
		t.Fatalf("first run: %d changes", len(ch))
	}
	for i := range results {
		if results[i].Status == assay.CheckFail {
			results[i] = mresult(results[i].CheckID, results[i].ResourceID, assay.CheckPass)
		} else {
			results[i] = mresult(results[i].CheckID, results[i].ResourceID, assay.CheckFail)
		}
	}
	run, ch := e.record(o, src, assay.RunOK, results...)
	if len(ch) != 900 || run.Resources != 450 || run.Fail != 450 {
		t.Fatalf("second run: %d changes, %+v", len(ch), run)
	}
	if fc := must(o.FailingByCheck(e.Ctx)).get(t); fc["http-hsts"] != 450 || fc["http-tls"] != 0 {
		t.Fatalf("failing by check = %v", fc)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{Status: assay.CheckFail})).get(t); len(cur) != 450 || cur[0].Reason == "" {
		t.Fatalf("current failing = %d", len(cur))
	}
	if h := must(o.CheckHistory(e.Ctx, "http-tls", src.ID, "", Epoch, e.Clock.Now())).get(t); len(h) != 900 {
		t.Fatalf("history = %d transitions", len(h))
	}
}

// newSource creates an enabled http source.
func (e *Env) newSource(o store.OrgStore, name string) assay.Source {
	e.T.Helper()
	return must(o.CreateSource(e.Ctx, Actor, assay.Source{Name: name, Kind: "http", Enabled: true,
		Settings: map[string]string{"urls": "https://" + name + ".example"}}, nil)).get(e.T)
}

// mresult builds a check result.
func mresult(check, resource string, status assay.CheckStatus) assay.CheckResult {
	r := assay.CheckResult{CheckID: check, ResourceKind: "http.endpoint", ResourceID: resource, ResourceName: resource + ":443", Status: status}
	if status != assay.CheckPass {
		r.Reason = fmt.Sprintf("%s says %s on %s", check, status, r.ResourceName)
	}
	return r
}

// record records an ok (or error) run of src at the clock's time and
// advances the clock by an hour.
func (e *Env) record(o store.OrgStore, src assay.Source, status string, results ...assay.CheckResult) (assay.MonitorRun, []assay.RunChange) {
	e.T.Helper()
	now := e.Clock.Now()
	run, changes, err := o.RecordRun(e.Ctx, assay.Actor{Name: "Scheduler", Via: "system"},
		assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: now, EndedAt: now.Add(time.Second), Status: status},
		results, map[string]store.CheckMeta{"http-tls": {Severity: assay.SeverityHigh, Controls: []string{"GV-01", "AC-01"}, Title: "Strong TLS"}})
	if err != nil {
		e.T.Fatalf("record run: %v", err)
	}
	e.Clock.Advance(time.Hour)
	return run, changes
}

func changeText(changes []assay.RunChange) string {
	var out []string
	for _, c := range changes {
		out = append(out, fmt.Sprintf("%s/%s:%s>%s", c.Check, c.Resource, c.From, c.To))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func testMonitorSources(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	for _, bad := range []assay.Source{{Name: "", Kind: "http"}, {Name: "x", Kind: "ftp"}, {Name: "x", Kind: "http", IntervalMinutes: 4},
		{Name: "x", Kind: "http", IntervalMinutes: 10081}} {
		_, err := o.CreateSource(e.Ctx, Actor, bad, nil)
		wantCode(t, err, assay.EINVALID, fmt.Sprintf("bad source %+v", bad))
	}
	src := must(o.CreateSource(e.Ctx, Actor, assay.Source{Name: "Web", Kind: "http", Enabled: true, Settings: map[string]string{"urls": "https://a.example"},
		SecretNames: []string{"token"}}, []byte("sealed-1"))).get(t)
	if src.IntervalMinutes != 60 || !src.NextRunAt.Equal(Epoch) || src.LastRunAt != nil || src.Settings["urls"] != "https://a.example" ||
		!slices.Equal(src.SecretNames, []string{"token"}) {
		t.Fatalf("created = %+v", src)
	}
	jsonEq(t, must(o.Source(e.Ctx, src.ID)).get(t), src, "re-read")
	_, err := o.CreateSource(e.Ctx, Actor, assay.Source{Name: "Web", Kind: "host"}, nil)
	wantCode(t, err, assay.ECONFLICT, "duplicate name")
	if b := must(o.SourceSecrets(e.Ctx, src.ID)).get(t); !bytes.Equal(b, []byte("sealed-1")) {
		t.Fatalf("secrets = %q", b)
	}
	upd := src
	upd.Name, upd.IntervalMinutes = "Website", 30
	upd = must(o.UpdateSource(e.Ctx, Actor, src.ID, upd, nil)).get(t)
	if upd.Name != "Website" || upd.IntervalMinutes != 30 {
		t.Fatalf("updated = %+v", upd)
	}
	if b := must(o.SourceSecrets(e.Ctx, src.ID)).get(t); !bytes.Equal(b, []byte("sealed-1")) {
		t.Fatalf("nil secrets did not keep them: %q", b)
	}
	must(o.UpdateSource(e.Ctx, Actor, src.ID, upd, []byte("sealed-2"))).get(t)
	if b := must(o.SourceSecrets(e.Ctx, src.ID)).get(t); !bytes.Equal(b, []byte("sealed-2")) {
		t.Fatalf("secrets not replaced: %q", b)
	}
	kind := upd
	kind.Kind = "host"
	_, err = o.UpdateSource(e.Ctx, Actor, src.ID, kind, nil)
	wantCode(t, err, assay.EINVALID, "kind change")
	_, err = o.SetSourceInput(e.Ctx, Actor, src.ID, "sha256:abc")
	wantCode(t, err, assay.EINVALID, "input on a live source")
	tf := must(o.CreateSource(e.Ctx, Actor, assay.Source{Name: "State", Kind: "terraform"}, nil)).get(t)
	if tf = must(o.SetSourceInput(e.Ctx, Actor, tf.ID, "sha256:abc")).get(t); tf.InputHash != "sha256:abc" || tf.Enabled {
		t.Fatalf("input = %+v", tf)
	}
	if tf = must(o.SetSourceEnabled(e.Ctx, Actor, tf.ID, true)).get(t); !tf.Enabled {
		t.Fatal("not enabled")
	}
	if list := must(o.Sources(e.Ctx)).get(t); len(list) != 2 || list[0].Name != "State" || list[1].Name != "Website" {
		t.Fatalf("sources = %+v", list)
	}
	for _, a := range e.Activity(o) {
		if strings.Contains(string(a.After)+string(a.Before), "sealed") {
			t.Fatalf("activity %s holds the secrets: %s", a.Action, a.After)
		}
	}
	check(t, o.DeleteSource(e.Ctx, Actor, tf.ID), "delete a source that never ran")
	e.record(o, upd, assay.RunOK, mresult("http-tls", "a", assay.CheckPass))
	wantCode(t, o.DeleteSource(e.Ctx, Actor, upd.ID), assay.ECONFLICT, "delete a source with runs")
	if got := must(o.Source(e.Ctx, upd.ID)).get(t); got.LastRunAt == nil || got.LastStatus != "ok" {
		t.Fatalf("last run not recorded: %+v", got)
	}
}

func testMonitorClaim(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("beta")
	want := map[int64]bool{}
	for i := range 12 {
		o := a
		if i%2 == 1 {
			o = b
		}
		want[e.newSource(o, fmt.Sprintf("s%d", i)).ID] = true
	}
	off := e.newSource(a, "off")
	must(a.SetSourceEnabled(e.Ctx, Actor, off.ID, false)).get(t)
	now := Epoch.Add(time.Minute)
	var mu sync.Mutex
	claimed := map[int64]int{}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for {
				got, err := e.Store.ClaimDueSources(e.Ctx, now, 3)
				if err != nil {
					t.Errorf("claim: %v", err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, s := range got {
					claimed[s.ID]++
					if !s.NextRunAt.Equal(now.Add(time.Hour)) {
						t.Errorf("source %d next run = %v", s.ID, s.NextRunAt)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != len(want) {
		t.Fatalf("claimed %d sources, want %d", len(claimed), len(want))
	}
	for id, n := range claimed {
		if n != 1 || !want[id] {
			t.Fatalf("source %d claimed %d times (due: %v)", id, n, want[id])
		}
	}
	if again := must(e.Store.ClaimDueSources(e.Ctx, now.Add(59*time.Minute), 0)).get(t); len(again) != 0 {
		t.Fatalf("claimed again before the interval: %+v", again)
	}
	if next := must(e.Store.ClaimDueSources(e.Ctx, now.Add(time.Hour), 0)).get(t); len(next) != len(want) {
		t.Fatalf("after the interval claimed %d, want %d", len(next), len(want))
	}
	if got := must(a.Source(e.Ctx, off.ID)).get(t); !got.NextRunAt.Equal(Epoch) {
		t.Fatalf("disabled source moved: %+v", got)
	}
}

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
	if run1.Resources != 2 || run1.Pass != 2 || run1.Fail != 2 || run1.Digest != assay.RunDigest(first) {
		t.Fatalf("run 1 = %+v", run1)
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

func testMonitorBadRun(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	before := len(e.Activity(o))
	now := e.Clock.Now()
	good := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now, Status: assay.RunOK}
	for name, c := range map[string]struct {
		run     assay.MonitorRun
		results []assay.CheckResult
	}{
		"duplicate pair": {good, []assay.CheckResult{mresult("c", "a", assay.CheckPass), mresult("c", "a", assay.CheckFail)}},
		"bad status":     {good, []assay.CheckResult{{CheckID: "c", ResourceID: "a", Status: "maybe"}}},
		"source pass":    {good, []assay.CheckResult{{CheckID: "c", Status: assay.CheckPass}}},
		"no check":       {good, []assay.CheckResult{{ResourceID: "a", Status: assay.CheckPass}}},
		"bad trigger":    {func() assay.MonitorRun { r := good; r.Trigger = "cron"; return r }(), nil},
		"ends early":     {func() assay.MonitorRun { r := good; r.EndedAt = now.Add(-time.Second); return r }(), nil},
		"no source":      {func() assay.MonitorRun { r := good; r.SourceID = src.ID + 100; return r }(), nil},
	} {
		_, _, err := o.RecordRun(e.Ctx, Actor, c.run, c.results, nil)
		wantCode(t, err, assay.EINVALID, name)
	}
	if runs := must(o.Runs(e.Ctx, 0, 0)).get(t); len(runs) != 0 {
		t.Fatalf("bad runs stored: %+v", runs)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t); len(cur) != 0 {
		t.Fatalf("bad runs left results: %+v", cur)
	}
	if n := len(e.Activity(o)); n != before {
		t.Fatalf("bad runs wrote %d activity entries", n-before)
	}
}

func testMonitorTenancy(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("beta")
	src := e.newSource(a, "web")
	e.record(a, src, assay.RunOK, mresult("http-tls", "a", assay.CheckFail))
	must(a.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-a"))).get(t)
	_, err := b.Source(e.Ctx, src.ID)
	wantCode(t, err, assay.ENOTFOUND, "other org's source")
	_, err = b.SourceSecrets(e.Ctx, src.ID)
	wantCode(t, err, assay.ENOTFOUND, "other org's secrets")
	_, err = b.SetSourceEnabled(e.Ctx, Actor, src.ID, false)
	wantCode(t, err, assay.ENOTFOUND, "other org's source enabled")
	now := e.Clock.Now()
	_, _, err = b.RecordRun(e.Ctx, Actor, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now, Status: assay.RunOK},
		[]assay.CheckResult{mresult("http-tls", "a", assay.CheckPass)}, nil)
	wantCode(t, err, assay.EINVALID, "run of another org's source")
	if n := len(must(b.Sources(e.Ctx)).get(t)) + len(must(b.Runs(e.Ctx, 0, 0)).get(t)) + len(must(b.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t)) +
		len(must(b.Findings(e.Ctx, false)).get(t)) + len(must(b.FailingByCheck(e.Ctx)).get(t)) + len(must(b.CustomChecks(e.Ctx)).get(t)) +
		len(must(b.CheckDays(e.Ctx, Epoch, Epoch.AddDate(0, 0, 30))).get(t)) + len(must(b.CheckHistory(e.Ctx, "http-tls", 0, "", Epoch, Epoch.AddDate(1, 0, 0))).get(t)); n != 0 {
		t.Fatalf("another organisation sees %d monitoring rows", n)
	}
	if s, _ := statusOf(b.StatusAt(e.Ctx, "http-tls", 0, "a", now)); s != "" {
		t.Fatalf("another organisation sees status %q", s)
	}
	if runs := must(a.Runs(e.Ctx, 0, 0)).get(t); len(runs) != 1 {
		t.Fatalf("own runs = %+v", runs)
	}
	_, err = b.Run(e.Ctx, must(a.Runs(e.Ctx, 0, 0)).get(t)[0].ID)
	wantCode(t, err, assay.ENOTFOUND, "other org's run")
}

func customCheck(id string) assay.Check {
	return assay.Check{ID: id, Title: "Ports closed", Kind: "host.port", Expr: "r.port != 23", Severity: assay.SeverityLow,
		Reason: "Telnet open on {{.Name}}", Remediation: "Close it.", Controls: []string{"AC-01"}}
}

func testMonitorCustomChecks(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	c := must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	if !c.Custom || c.ID != "custom-telnet" || !slices.Equal(c.Controls, []string{"AC-01"}) {
		t.Fatalf("created = %+v", c)
	}
	_, err := o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))
	wantCode(t, err, assay.ECONFLICT, "duplicate id")
	for name, mod := range map[string]func(*assay.Check){
		"no prefix":       func(c *assay.Check) { c.ID = "telnet" },
		"upper case":      func(c *assay.Check) { c.ID = "custom-Telnet" },
		"no title":        func(c *assay.Check) { c.Title = " " },
		"no expr":         func(c *assay.Check) { c.Expr = "" },
		"bad severity":    func(c *assay.Check) { c.Severity = "urgent" },
		"no controls":     func(c *assay.Check) { c.Controls = nil },
		"unknown control": func(c *assay.Check) { c.Controls = []string{"ZZ-99"} },
	} {
		bad := customCheck("custom-other")
		mod(&bad)
		_, err := o.CreateCustomCheck(e.Ctx, Actor, bad)
		wantCode(t, err, assay.EINVALID, name)
	}
	upd := customCheck("ignored")
	upd.Title, upd.Controls = "Telnet closed", []string{"OP-01", "AC-01"}
	c = must(o.UpdateCustomCheck(e.Ctx, Actor, "custom-telnet", upd)).get(t)
	if c.ID != "custom-telnet" || c.Title != "Telnet closed" || len(c.Controls) != 2 {
		t.Fatalf("updated = %+v", c)
	}
	_, err = o.UpdateCustomCheck(e.Ctx, Actor, "custom-none", upd)
	wantCode(t, err, assay.ENOTFOUND, "update unknown")
	jsonEq(t, must(o.CustomChecks(e.Ctx)).get(t), []assay.Check{c}, "list")
	check(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), "delete")
	wantCode(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), assay.ENOTFOUND, "delete twice")
	if list := must(o.CustomChecks(e.Ctx)).get(t); len(list) != 0 {
		t.Fatalf("after delete = %+v", list)
	}
}

// testMonitorDeletedCheck: deleting a custom check keeps its history but
// ends what it says now: its results go, its open finding closes with its
// corrective action done, and a later run (even a failed one) does not
// open it again.
func testMonitorDeletedCheck(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-kept"))).get(t)
	src := e.newSource(o, "web")
	failedAt := e.Clock.Now()
	e.record(o, src, assay.RunOK, mresult("custom-telnet", "a", assay.CheckFail), mresult("custom-telnet", "b", assay.CheckPass),
		mresult("custom-kept", "b", assay.CheckFail), mresult("http-tls", "a", assay.CheckPass), mresult("custom-telnet", "c", assay.CheckFail))
	var f assay.Finding
	for _, x := range must(o.Findings(e.Ctx, true)).get(t) {
		if x.CheckID == "custom-telnet" {
			f = x
		}
	}
	if f.ID == 0 || f.Failing != 2 {
		t.Fatalf("finding before the delete = %+v", f)
	}
	before := len(e.Activity(o))
	deletedAt := e.Clock.Now()
	check(t, o.DeleteCustomCheck(e.Ctx, Actor, "custom-telnet"), "delete")

	if acts := e.Activity(o); len(acts) != before+1 || acts[0].Action != "monitor.check.delete" ||
		!strings.Contains(string(acts[0].After), fmt.Sprintf(`"closed_findings":[%d]`, f.ID)) {
		t.Fatalf("delete wrote %d entries, newest %+v", len(acts)-before, acts[0])
	}
	open := must(o.Findings(e.Ctx, true)).get(t)
	if len(open) != 1 || open[0].CheckID != "custom-kept" {
		t.Fatalf("open findings after the delete = %+v", open)
	}
	for _, x := range must(o.Findings(e.Ctx, false)).get(t) {
		if x.ID == f.ID && (x.ClosedAt == nil || !x.ClosedAt.Equal(deletedAt) || x.Failing != 0) {
			t.Fatalf("deleted check's finding = %+v", x)
		}
	}
	ca := must(o.CorrectiveAction(e.Ctx, f.CorrectiveActionID)).get(t)
	if ca.Status != assay.CorrectiveDone || !strings.Contains(ca.VerificationNotes, "deleted") {
		t.Fatalf("corrective action after the delete = %+v", ca)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{CheckID: "custom-telnet"})).get(t); len(cur) != 0 {
		t.Fatalf("deleted check's current results = %+v", cur)
	}
	if cur := must(o.CurrentResults(e.Ctx, assay.ResultFilter{})).get(t); len(cur) != 2 {
		t.Fatalf("other current results = %+v", cur) // custom-kept on b, http-tls on a; c had only the deleted check
	}
	if fc := must(o.FailingByCheck(e.Ctx)).get(t); len(fc) != 1 || fc["custom-kept"] != 1 {
		t.Fatalf("failing by check = %v", fc)
	}
	h := must(o.CheckHistory(e.Ctx, "custom-telnet", src.ID, "a", Epoch, e.Clock.Now())).get(t)
	if len(h) != 2 || h[0].Status != assay.CheckFail || !h[0].At.Equal(failedAt) || h[1].Status != assay.CheckGone || !h[1].At.Equal(deletedAt) {
		t.Fatalf("history of the deleted check = %+v", h)
	}
	if s, _ := statusOf(o.StatusAt(e.Ctx, "custom-telnet", src.ID, "a", failedAt.Add(time.Minute))); s != assay.CheckFail {
		t.Fatalf("status before the delete = %q", s)
	}

	// A failed run keeps per-resource results but must not reopen the finding.
	e.record(o, src, assay.RunError, assay.CheckResult{CheckID: "http-tls", Status: assay.CheckError, Reason: "refused"})
	if open := must(o.Findings(e.Ctx, true)).get(t); len(open) != 1 || open[0].CheckID != "custom-kept" {
		t.Fatalf("open findings after a failed run = %+v", open)
	}
	// A complete run without the check changes nothing of it.
	_, ch := e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("custom-kept", "b", assay.CheckFail))
	if got := changeText(ch); got != "http-tls/:error>gone" {
		t.Fatalf("changes of the next run = %s", got)
	}
	// The same id again starts afresh.
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-telnet"))).get(t)
	_, ch = e.record(o, src, assay.RunOK, mresult("http-tls", "a", assay.CheckPass), mresult("custom-kept", "b", assay.CheckFail),
		mresult("custom-telnet", "a", assay.CheckFail))
	if got := changeText(ch); got != "custom-telnet/a:gone>fail" {
		t.Fatalf("changes after re-creating = %s", got)
	}
	if open := must(o.Findings(e.Ctx, true)).get(t); len(open) != 2 || open[0].ID == f.ID {
		t.Fatalf("open findings after re-creating = %+v", open)
	}
}
