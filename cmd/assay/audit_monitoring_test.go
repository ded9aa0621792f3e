package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/monitor/runner"
)

// TestAuditMonitoringEvidence runs a real source through the program's
// runner inside an engagement's period: a custom check testing NET-02
// fails on a real HTTPS endpoint for two runs, the source is silent for
// two days, then the check passes. The engagement's period view (API and
// page), its check_runs population and its control matrix all show the
// runs, the failing window with the run and finding that resolved it, and
// the gaps.
func TestAuditMonitoringEvidence(t *testing.T) {
	t.Parallel()
	clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	m := startMainWith(t, false, func(c *Config) { c.Clock, c.NoScheduler = clock, true })
	ctx := runner.WithActor(context.Background(), assay.SystemActor)
	orgID, admin := m.orgWithAdmin(t, "Acme")
	org := m.Store.Org(orgID)

	var a auditResp
	if code := m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_2","name":"SOC 2 Type II 2026","firm":"Example LLP","period_start":"2026-01-01","period_end":"2026-12-31"}`, &a); code != 201 {
		t.Fatalf("create audit: %d", code)
	}
	if !a.Scope.HasControl("NET-02") {
		t.Fatal("NET-02 is not in the engagement's scope")
	}
	check := assay.Check{ID: "custom-port-one", Title: "Listens on port one", Kind: "http.endpoint", Expr: "r.port == 1",
		Severity: assay.SeverityHigh, Reason: "{{.Name}} listens on port {{.Attrs.port}}", Controls: []string{"NET-02"}}
	if _, err := org.CreateCustomCheck(ctx, assay.SystemActor, check); err != nil {
		t.Fatal(err)
	}
	srv, ca := tlsTarget(t)
	src, err := runner.Service{Runner: m.Runner}.CreateSource(ctx, org, assay.SystemActor, assay.Source{Name: "API", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": srv.URL, "ca_pem": ca}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := func() assay.MonitorRun {
		t.Helper()
		r, err := m.Runner.RunSource(ctx, org, src.ID, assay.TriggerManual)
		if err != nil || r.Status != assay.RunOK {
			t.Fatalf("run: %+v %v", r, err)
		}
		return r
	}
	first := run() // 2 March 09:00: fails
	clock.Advance(2 * time.Hour)
	run() // 11:00: still fails
	clock.Advance(50 * time.Hour)
	check.Expr = "r.port > 0"
	if _, err := org.UpdateCustomCheck(ctx, assay.SystemActor, check.ID, check); err != nil {
		t.Fatal(err)
	}
	fixed := run() // 4 March 13:00: passes
	clock.Advance(time.Hour)

	var period assay.AuditPeriod
	if code := m.call(t, admin, "GET", fmt.Sprintf("/api/v1/audits/%d/period", a.ID), "", &period); code != 200 {
		t.Fatalf("period: %d", code)
	}
	var net *assay.PeriodControl
	for i := range period.Controls {
		if period.Controls[i].ID == "NET-02" {
			net = &period.Controls[i]
		}
	}
	if net == nil || net.Monitoring == nil {
		t.Fatalf("NET-02 has no automated testing in the period view: %+v", net)
	}
	mon := net.Monitoring
	if mon.Runs != 3 || mon.DaysCovered != 2 || len(mon.Sources) != 1 || mon.Sources[0].ID != src.ID || !strings.Contains(strings.Join(mon.Checks, " "), check.ID) {
		t.Fatalf("NET-02's monitoring: runs %d, covered %d, sources %+v, checks %v", mon.Runs, mon.DaysCovered, mon.Sources, mon.Checks)
	}
	var failure *assay.CheckFailure
	for i := range mon.Failures {
		if mon.Failures[i].CheckID == check.ID {
			failure = &mon.Failures[i]
		}
	}
	if failure == nil || !failure.From.Equal(first.StartedAt) || failure.To == nil || !failure.To.Equal(fixed.StartedAt) || failure.ClosedByRun != fixed.ID ||
		failure.FindingID == 0 || !strings.Contains(failure.Resolution, fmt.Sprintf("finding #%d closed", failure.FindingID)) {
		t.Fatalf("the failing window of %s: %+v", check.ID, failure)
	}
	kinds := map[string]int{}
	for _, x := range net.Exceptions {
		if x.Kind == assay.ExceptionMonitoringGap || strings.Contains(x.Detail, check.ID) {
			kinds[x.Kind]++
		}
	}
	// Gaps: from 1 January to the first run, and the two silent days.
	if kinds[assay.ExceptionCheckFailing] != 1 || kinds[assay.ExceptionMonitoringGap] != 2 {
		t.Fatalf("NET-02's exceptions: %+v", net.Exceptions)
	}

	// The page shows it to a person.
	c := signIn(t, m, "admin@acme.example", "long enough password")
	code, page := get(t, c, fmt.Sprintf("%s/audits/%d/period?control=%s", m.URL(), a.ID, net.ID)) // the period view, on its own page
	for _, want := range []string{"Automated testing in the period", "check failing", "monitoring gap", "Check " + check.ID + " failed on",
		fmt.Sprintf("Passed again in run #%d", fixed.ID)} {
		if code != 200 || !strings.Contains(page, want) {
			t.Fatalf("the period view (%d) lacks %q", code, want)
		}
	}

	// Auditors sample the runs like any other population.
	var sample assay.AuditSample
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/audits/%d/samples", a.ID), `{"population":"check_runs","size":2,"seed":"7"}`, &sample); code != 201 ||
		sample.PopulationSize != 3 || len(sample.Keys) != 2 || !strings.HasPrefix(sample.Keys[0], "run:") {
		t.Fatalf("check_runs sample: %d %+v", code, sample)
	}

	// The engagement's control matrix carries the automated testing.
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/audits/%d/exports/control-matrix.xlsx", m.URL(), a.ID), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("matrix: %d %s", resp.StatusCode, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(export.MatrixSheet)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows[1:] {
		if len(r) > 12 && r[2] == "NET-02" {
			found = true
			if !strings.Contains(r[9], check.ID) || !strings.HasPrefix(r[10], "3 runs by API (http)") || !strings.Contains(r[12], "Check "+check.ID+" failed on") {
				t.Fatalf("NET-02's automated testing in the matrix: %q", r[9:])
			}
		}
	}
	if !found {
		t.Fatal("no NET-02 row with automated testing in the matrix")
	}
}
