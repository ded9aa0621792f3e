package assay

import (
	"strings"
	"testing"
	"time"
)

// monitoringFixture is a ten-day window in which source 1 (web) runs every
// six hours except for two silent days, source 2 (db) runs once, and a TLS
// check fails on one endpoint for a while.
func monitoringFixture() (MonitorHistory, []Check) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := MonitorHistory{From: from, To: from.AddDate(0, 0, 10),
		Sources:      []Source{{ID: 1, Name: "web", Kind: "http"}, {ID: 2, Name: "db", Kind: "postgres"}},
		SourceChecks: map[int64][]string{1: {"http-tls", "http-hsts"}, 2: {"pg-ssl"}},
	}
	id := int64(0)
	for at := from.Add(time.Hour); at.Before(h.To); at = at.Add(6 * time.Hour) {
		if d := at.Sub(from); d >= 4*24*time.Hour && d < 6*24*time.Hour+12*time.Hour {
			continue // silent from day 4 to the middle of day 6
		}
		id++
		status := RunOK
		if id == 3 {
			status = RunError
		}
		h.Runs = append(h.Runs, MonitorRun{ID: id, SourceID: 1, StartedAt: at, Status: status})
	}
	h.Runs = append(h.Runs, MonitorRun{ID: 1000, SourceID: 2, StartedAt: from.Add(30 * time.Hour), Status: RunOK})
	closed := from.Add(49 * time.Hour)
	h.Transitions = []Transition{
		// failing before the window opened, passes on day 2
		{CheckID: "http-tls", SourceID: 1, ResourceID: "a", ResourceName: "a.example:443", At: from.Add(-48 * time.Hour), RunID: 0, Status: CheckFail, Reason: "TLS 1.0 accepted on a.example:443."},
		{CheckID: "http-tls", SourceID: 1, ResourceID: "a", ResourceName: "a.example:443", At: closed, RunID: 9, Status: CheckPass},
		// fails on day 7 and is still failing; an error in between changes nothing
		{CheckID: "http-tls", SourceID: 1, ResourceID: "b", ResourceName: "b.example:443", At: from.Add(7*24*time.Hour + time.Hour), RunID: 20, Status: CheckFail, Reason: "TLS 1.1 accepted"},
		{CheckID: "http-tls", SourceID: 1, ResourceID: "b", ResourceName: "b.example:443", At: from.Add(8*24*time.Hour + time.Hour), RunID: 24, Status: CheckError},
		// a check of another control
		{CheckID: "pg-ssl", SourceID: 2, ResourceID: "db", ResourceName: "db", At: from.Add(30 * time.Hour), RunID: 1000, Status: CheckFail},
	}
	h.Findings = []Finding{
		{ID: 5, CheckID: "http-tls", SourceID: 1, OpenedAt: from.Add(-48 * time.Hour), ClosedAt: &closed, CorrectiveActionID: 50},
		{ID: 6, CheckID: "http-tls", SourceID: 1, OpenedAt: from.Add(7*24*time.Hour + time.Hour), CorrectiveActionID: 60},
	}
	checks := []Check{
		{ID: "http-tls", Controls: []string{"CRY-02", "NET-02"}},
		{ID: "http-hsts", Controls: []string{"NET-02"}},
		{ID: "pg-ssl", Controls: []string{"CRY-03"}},
		{ID: "k8s-rbac", Controls: []string{"ACC-10"}}, // no source evaluates it
	}
	return h, checks
}

func TestPeriodMonitoring(t *testing.T) {
	h, checks := monitoringFixture()
	got := PeriodMonitoringFor(h, checks, []string{"CRY-02", "NET-02", "CRY-03", "ACC-10", "GOV-01"}, h.To.AddDate(1, 0, 0))
	if _, ok := got["ACC-10"]; ok {
		t.Fatal("a control whose checks no source evaluates got monitoring")
	}
	if _, ok := got["GOV-01"]; ok {
		t.Fatal("a control without checks got monitoring")
	}
	m := got["CRY-02"]
	if strings.Join(m.Checks, ",") != "http-tls" || len(m.Sources) != 1 || m.Sources[0].Name != "web" {
		t.Fatalf("checks and sources: %+v", m)
	}
	// 40 six-hourly slots, 10 of them silent; one run errored.
	if m.Runs != 30 || m.ErrorRuns != 1 || m.Days != 10 {
		t.Fatalf("runs %d (errors %d), days %d", m.Runs, m.ErrorRuns, m.Days)
	}
	// Days 4 and 5 had no run; day 6's first run is at 13:00.
	if m.DaysCovered != 8 {
		t.Fatalf("days covered = %d, want 8", m.DaysCovered)
	}
	if len(m.Gaps) != 1 || m.Gaps[0].To == nil || m.Gaps[0].From != h.From.Add(3*24*time.Hour+19*time.Hour) ||
		!strings.Contains(m.Gaps[0].Resolution, "resumed") {
		t.Fatalf("gaps: %+v", m.Gaps)
	}
	if len(m.Failures) != 2 {
		t.Fatalf("failures: %+v", m.Failures)
	}
	a, b := m.Failures[0], m.Failures[1]
	if a.ResourceID != "a" || a.From != h.From || a.To == nil || a.ClosedByRun != 9 || a.FindingID != 5 ||
		!strings.Contains(a.Resolution, "Passed again in run #9") || !strings.Contains(a.Resolution, "finding #5 closed") {
		t.Fatalf("first failure: %+v", a)
	}
	if b.ResourceID != "b" || b.To != nil || b.Resolution != Unresolved || b.FindingID != 6 || b.CorrectiveActionID != 60 {
		t.Fatalf("second failure: %+v", b)
	}
	// Days 1-3 (a) and days 8-10 (b).
	if m.FailingDays != 6 {
		t.Fatalf("failing days = %d, want 6", m.FailingDays)
	}
	ex := m.Exceptions()
	if len(ex) != 3 || ex[0].Kind != ExceptionCheckFailing || ex[1].Kind != ExceptionMonitoringGap || ex[2].Kind != ExceptionCheckFailing ||
		!strings.Contains(ex[0].Detail, "a.example:443 (source web): TLS 1.0 accepted on a.example:443; failing since 2025-12-30") ||
		strings.Contains(ex[0].Detail, "443.") {
		t.Fatalf("exceptions: %+v", ex)
	}

	// NET-02 has two checks, the same source; CRY-03 the other source,
	// which ran once: an unresolved gap after its run.
	if n := got["NET-02"]; strings.Join(n.Checks, ",") != "http-hsts,http-tls" || n.Runs != 30 || len(n.Failures) != 2 {
		t.Fatalf("NET-02: %+v", n)
	}
	c := got["CRY-03"]
	if c.Runs != 1 || c.DaysCovered != 1 || len(c.Gaps) != 2 || c.Gaps[0].From != h.From || c.Gaps[1].To != nil || c.Gaps[1].Resolution != Unresolved {
		t.Fatalf("CRY-03: %+v", c)
	}
	if len(c.Failures) != 1 || c.Failures[0].FindingID != 0 || c.Failures[0].Resolution != Unresolved {
		t.Fatalf("CRY-03 failures: %+v", c.Failures)
	}
}

func TestPeriodMonitoringStopsAtNow(t *testing.T) {
	h, checks := monitoringFixture()
	now := h.From.Add(2*24*time.Hour + 12*time.Hour) // in the middle of day 3
	m := PeriodMonitoringFor(h, checks, []string{"CRY-02"}, now)["CRY-02"]
	if m.Days != 3 || m.DaysCovered != 3 || len(m.Gaps) != 0 || m.Until != now {
		t.Fatalf("so far: days %d covered %d gaps %+v", m.Days, m.DaysCovered, m.Gaps)
	}
	// Resource b only starts failing after now.
	if len(m.Failures) != 1 || m.FailingDays != 3 {
		t.Fatalf("failures so far: %+v (days %d)", m.Failures, m.FailingDays)
	}
	// A window that has not begun covers nothing.
	if m := PeriodMonitoringFor(h, checks, []string{"CRY-02"}, h.From.AddDate(0, 0, -5))["CRY-02"]; m.Days != 0 || m.Runs != 0 || len(m.Gaps) != 0 {
		t.Fatalf("before the window: %+v", m)
	}
}

// A failure ended because its custom check was deleted (a gone transition
// no run recorded) says so, instead of naming a run #0.
func TestPeriodMonitoringDeletedCheck(t *testing.T) {
	h, checks := monitoringFixture()
	h.Transitions = append(h.Transitions,
		Transition{CheckID: "http-hsts", SourceID: 1, ResourceID: "c", ResourceName: "c.example:443", At: h.From.Add(50 * time.Hour), RunID: 12, Status: CheckFail, Reason: "no HSTS"},
		Transition{CheckID: "http-hsts", SourceID: 1, ResourceID: "c", ResourceName: "c.example:443", At: h.From.Add(60 * time.Hour), RunID: 0, Status: CheckGone})
	m := PeriodMonitoringFor(h, checks, []string{"NET-02"}, h.To.AddDate(1, 0, 0))["NET-02"]
	for _, f := range m.Failures {
		if f.ResourceID == "c" {
			if !strings.Contains(f.Resolution, "The check was deleted on 2026-01-03 12:00 UTC") || strings.Contains(f.Resolution, "#0") {
				t.Fatalf("resolution = %q", f.Resolution)
			}
			return
		}
	}
	t.Fatalf("no failure for c: %+v", m.Failures)
}
