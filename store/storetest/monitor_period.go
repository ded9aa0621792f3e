package storetest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var monitorPeriodTests = []subtest{
	{"MonitorPeriodInAuditView", testMonitorPeriodView},
	{"MonitorHistoryWindow", testMonitorHistoryWindow},
	{"MonitorCheckRunsPopulation", testMonitorCheckRunsPopulation},
}

// periodScenario records, for a custom check testing AC-01 on source web:
// three runs on 2 March (b fails, then passes again), three silent days,
// a run on 5 March where a fails, and a run whose collector failed.
func (e *Env) periodScenario(o store.OrgStore) (assay.Audit, assay.Source, []assay.MonitorRun) {
	e.T.Helper()
	must(o.CreateCustomCheck(e.Ctx, Actor, customCheck("custom-tls"))).get(e.T)
	a := e.typeII(o)
	src := e.newSource(o, "web")
	res := func(a, b assay.CheckStatus) []assay.CheckResult {
		return []assay.CheckResult{mresult("custom-tls", "a", a), mresult("custom-tls", "b", b)}
	}
	var runs []assay.MonitorRun
	add := func(status string, results []assay.CheckResult) {
		r, _ := e.record(o, src, status, results...)
		runs = append(runs, r)
	}
	add(assay.RunOK, res(assay.CheckPass, assay.CheckFail))                                                                   // 2 March 09:00
	add(assay.RunOK, res(assay.CheckPass, assay.CheckFail))                                                                   // 10:00
	add(assay.RunOK, res(assay.CheckPass, assay.CheckPass))                                                                   // 11:00
	e.Clock.Advance(72 * time.Hour)                                                                                           // silent
	add(assay.RunOK, res(assay.CheckFail, assay.CheckPass))                                                                   // 5 March 12:00
	add(assay.RunError, []assay.CheckResult{{CheckID: "custom-tls", Status: assay.CheckError, Reason: "connection refused"}}) // 13:00
	return a, src, runs
}

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// periodWithMonitoring is an engagement's period view with the automated
// testing of the organisation's custom checks attached, as app.AuditPeriod
// attaches the library's and the custom checks'.
func (e *Env) periodWithMonitoring(o store.OrgStore, id int64) assay.AuditPeriod {
	e.T.Helper()
	p := must(o.AuditPeriod(e.Ctx, id)).get(e.T)
	checks := must(o.CustomChecks(e.Ctx)).get(e.T)
	p.AttachMonitoring(must(rules.PeriodMonitoring(e.Ctx, o, checks, p.ControlIDs(), p.Start, p.End, e.Clock.Now())).get(e.T))
	return p
}

func testMonitorPeriodView(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a, src, runs := e.periodScenario(o)
	p := e.periodWithMonitoring(o, a.ID)
	var ac *assay.PeriodControl
	for i, c := range p.Controls {
		if c.ID == "AC-01" {
			ac = &p.Controls[i]
		} else if c.Monitoring != nil {
			t.Fatalf("%s has monitoring but no check tests it: %+v", c.ID, c.Monitoring)
		}
	}
	if ac == nil || ac.Monitoring == nil {
		t.Fatalf("AC-01 has no monitoring: %+v", ac)
	}
	m := ac.Monitoring
	if !slices.Equal(m.Checks, []string{"custom-tls"}) || len(m.Sources) != 1 || m.Sources[0].ID != src.ID || m.Sources[0].Name != "web" {
		t.Fatalf("checks and sources: %+v", m)
	}
	// 1 January to 5 March (the clock) is 64 days; runs on two of them.
	if m.Runs != 5 || m.ErrorRuns != 1 || m.Days != 64 || m.DaysCovered != 2 || m.FailingDays != 2 {
		t.Fatalf("runs %d (%d errors), days %d, covered %d, failing %d", m.Runs, m.ErrorRuns, m.Days, m.DaysCovered, m.FailingDays)
	}
	if len(m.Failures) != 2 {
		t.Fatalf("failures: %+v", m.Failures)
	}
	b, fa := m.Failures[0], m.Failures[1]
	if b.ResourceID != "b" || !b.From.Equal(at(2026, 3, 2, 9)) || b.To == nil || !b.To.Equal(at(2026, 3, 2, 11)) || b.ClosedByRun != runs[2].ID ||
		b.FindingID == 0 || b.CorrectiveActionID == 0 || !strings.Contains(b.Resolution, fmt.Sprintf("finding #%d closed", b.FindingID)) ||
		b.Reason != "custom-tls says fail on b:443" {
		t.Fatalf("b's failure: %+v", b)
	}
	if fa.ResourceID != "a" || !fa.From.Equal(at(2026, 3, 5, 12)) || fa.To != nil || fa.Resolution != assay.Unresolved || fa.FindingID == 0 || fa.FindingID == b.FindingID {
		t.Fatalf("a's failure: %+v", fa)
	}
	if len(m.Gaps) != 2 || !m.Gaps[0].From.Equal(at(2026, 1, 1, 0)) || !m.Gaps[0].To.Equal(at(2026, 3, 2, 9)) ||
		!m.Gaps[1].From.Equal(at(2026, 3, 2, 11)) || !m.Gaps[1].To.Equal(at(2026, 3, 5, 12)) {
		t.Fatalf("gaps: %+v", m.Gaps)
	}
	kinds := map[string]int{}
	for _, x := range ac.Exceptions {
		kinds[x.Kind]++
		if x.Kind == assay.ExceptionCheckFailing && !strings.Contains(x.Detail, "custom-tls") {
			t.Fatalf("failing exception: %+v", x)
		}
	}
	if kinds[assay.ExceptionCheckFailing] != 2 || kinds[assay.ExceptionMonitoringGap] != 2 {
		t.Fatalf("AC-01's exceptions: %+v", ac.Exceptions)
	}

	// Another organisation's engagement sees none of it.
	_, other := e.Org("beta")
	oa := e.typeII(other)
	for _, c := range e.periodWithMonitoring(other, oa.ID).Controls {
		if c.Monitoring != nil {
			t.Fatalf("beta's %s has acme's monitoring", c.ID)
		}
	}
	if h := must(other.MonitorHistory(e.Ctx, nil, at(2026, 1, 1, 0), at(2027, 1, 1, 0))).get(t); len(h.Runs)+len(h.Sources)+len(h.Transitions)+len(h.Findings)+len(h.SourceChecks) != 0 {
		t.Fatalf("beta's history: %+v", h)
	}
}

func testMonitorHistoryWindow(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, src, runs := e.periodScenario(o)
	from, to := at(2026, 3, 2, 10).Add(30*time.Minute), at(2026, 3, 6, 0)
	h := must(o.MonitorHistory(e.Ctx, []string{"custom-tls"}, from, to)).get(t)
	if !slices.Equal(h.SourceChecks[src.ID], []string{"custom-tls"}) || len(h.Sources) != 1 {
		t.Fatalf("sources: %+v %+v", h.Sources, h.SourceChecks)
	}
	var ids []int64
	for _, r := range h.Runs {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []int64{runs[2].ID, runs[3].ID, runs[4].ID}) {
		t.Fatalf("runs in the window: %v", ids)
	}
	var got []string
	for _, tr := range h.Transitions {
		got = append(got, fmt.Sprintf("%s/%s:%s@%s", tr.CheckID, tr.ResourceID, tr.Status, tr.At.Format("02T15")))
	}
	// b was failing when the window opened: its failing transition comes
	// first; the collector's error is on the source's pseudo resource "".
	want := []string{"custom-tls/b:fail@02T09", "custom-tls/b:pass@02T11", "custom-tls/a:fail@05T12", "custom-tls/:error@05T13"}
	if !slices.Equal(got, want) {
		t.Fatalf("transitions:\n got %v\nwant %v", got, want)
	}
	if len(h.Findings) != 2 {
		t.Fatalf("findings open in the window: %+v", h.Findings)
	}
	// After the first finding closed, only the second one is open.
	if h := must(o.MonitorHistory(e.Ctx, nil, at(2026, 3, 3, 0), to)).get(t); len(h.Findings) != 1 || h.Findings[0].ResourceID != "a" {
		t.Fatalf("findings from 3 March: %+v", h.Findings)
	}
	// Other checks: runs, but no transitions.
	if h := must(o.MonitorHistory(e.Ctx, []string{"custom-other"}, from, to)).get(t); len(h.Transitions) != 0 || len(h.Runs) != 3 {
		t.Fatalf("another check's history: %+v", h)
	}
	_, err := o.MonitorHistory(e.Ctx, nil, to, from)
	wantCode(t, err, assay.EINVALID, "window ending before it starts")
}

func testMonitorCheckRunsPopulation(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a, _, runs := e.periodScenario(o)
	pop := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationCheckRuns, "", 0)).get(t)
	if len(pop.Items) != 5 || pop.ControlID != "" {
		t.Fatalf("population: %+v", pop)
	}
	keys := assay.SortedKeys(pop.Items)
	for _, r := range runs {
		if !slices.Contains(keys, fmt.Sprintf("run:%d", r.ID)) {
			t.Fatalf("run %d missing from %v", r.ID, keys)
		}
	}
	for _, it := range pop.Items {
		if it.Key == fmt.Sprintf("run:%d", runs[0].ID) {
			want := fmt.Sprintf("web run #%d (ok): 2 resources, 1 pass, 1 fail, 0 errors, digest %s", runs[0].ID, runs[0].Digest)
			if it.Label != want || !it.At.Equal(runs[0].StartedAt) {
				t.Fatalf("item = %+v, want label %q", it, want)
			}
		}
	}
	if pop.Digest != assay.PopulationDigest(keys) {
		t.Fatal("digest is not over the sorted keys")
	}
	// As it stood when the third run was recorded.
	entries := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "monitor_run", ObjectID: fmt.Sprint(runs[2].ID)})).get(t)
	if len(entries) != 1 {
		t.Fatalf("run entries: %+v", entries)
	}
	early := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationCheckRuns, "", entries[0].Seq)).get(t)
	if len(early.Items) != 3 {
		t.Fatalf("population at entry #%d: %+v", entries[0].Seq, early.Items)
	}
	seed := uint64(42)
	s := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationCheckRuns, Size: 2, Seed: &seed})).get(t)
	if s.PopulationSize != 5 || s.PopulationDigest != pop.Digest || !slices.Equal(s.Keys, assay.DrawSample(keys, seed, 2)) {
		t.Fatalf("sample: %+v", s)
	}
	// Runs outside the period are not in it.
	e.Clock.T = at(2027, 2, 1, 0)
	src2 := e.newSource(o, "late")
	e.record(o, src2, assay.RunOK, mresult("custom-tls", "c", assay.CheckPass))
	if pop := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationCheckRuns, "", 0)).get(t); len(pop.Items) != 5 {
		t.Fatalf("population after a run outside the period: %d items", len(pop.Items))
	}
}
