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
	{"MonitorStreamedRun", testMonitorStreamedRun}, // monitor_streamed.go
	{"MonitorImportIsOneTransaction", testMonitorImport},
	{"MonitorRunNotes", testMonitorRunNotes},
	{"MonitorResultsPage", testMonitorResultsPage}, // monitor_results_page.go
	{"MonitorNotPassing", testMonitorNotPassing},   // monitor_failing.go
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
