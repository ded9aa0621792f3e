package main

import (
	"context"
	"fmt"
	"io"
	osfile "os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/availability"
)

// TestDemoAvailability: the demo has three services with 90 days of
// history, one outage that opened an incident and resolved it, and one
// maintenance window that is not downtime.
func TestDemoAvailability(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := context.Background()
	orgs, _ := m.Store.Organizations(ctx)
	os := m.Store.Org(orgs[0].ID)
	svcs, err := os.Services(ctx)
	if err != nil || len(svcs) != 3 {
		t.Fatalf("services = %+v %v", svcs, err)
	}
	now := m.App.Now()
	byName := map[string]assay.Service{}
	for _, s := range svcs {
		byName[s.Name] = s
	}
	api := byName["Customer API"]
	f, err := availability.ComputeFigures(ctx, os, api, now, 90, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Days) != 90 || f.Windows[3].Name != "90d" || f.Windows[3].Down != 47*time.Minute || f.Windows[3].Percent >= 100 {
		t.Fatalf("api figures = %+v", f.Windows)
	}
	periods, _ := os.StatusPeriods(ctx, api.ID, now.AddDate(0, 0, -90), now)
	if len(periods) != 1 || periods[0].IncidentID == 0 {
		t.Fatalf("outage = %+v", periods)
	}
	inc, err := os.Incident(ctx, periods[0].IncidentID)
	if err != nil || inc.Status != assay.IncidentResolved || inc.ResolvedAt == nil || !inc.ResolvedAt.Equal(*periods[0].EndedAt) {
		t.Fatalf("incident = %+v %v", inc, err)
	}
	db := byName["Primary database"]
	fd, _ := availability.ComputeFigures(ctx, os, db, now, 0, time.UTC)
	if u := fd.Windows[3]; u.Maintenance != 90*time.Minute || u.Down != 0 || u.Percent != 100 {
		t.Fatalf("db 90d = %+v", u)
	}
	hours, _ := os.Rollups(ctx, api.ID, true, now.Add(-7*24*time.Hour), now)
	if len(hours) < 160 || hours[10].P50 == 0 {
		t.Fatalf("hourly latency = %d rows", len(hours))
	}

	// The pages, as the demo admin sees them.
	c := signIn(t, m, demoEmail, demoPassword)
	windows, _ := os.MaintenanceWindows(ctx, db.ID, now.AddDate(0, 0, -90), now)
	if len(windows) != 1 {
		t.Fatalf("db windows = %+v", windows)
	}
	maintMonth := windows[0].StartsAt.In(time.Local).Format("2006-01")
	for path, wants := range map[string][]string{
		"/availability":                         {"Customer API", "Primary database", "<svg", "paused"},
		fmt.Sprintf("/availability/%d", api.ID): {"<svg class=\"uptime-bars\"", "<polyline", "p95", "#1", "47m0s"},
		fmt.Sprintf("/availability/%d/sla?month=%s", db.ID, maintMonth): {"PostgreSQL minor version upgrade", "Maintenance (not counted as downtime)"},
		fmt.Sprintf("/audits"): {"Audits"},
	} {
		resp, err := c.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
		}
		for _, w := range wants {
			if !strings.Contains(string(b), w) {
				t.Errorf("GET %s: no %q", path, w)
			}
		}
		if osfile.Getenv("ASSAY_DUMP_AVAILABILITY") != "" {
			_ = osfile.WriteFile(filepath.Join(osfile.Getenv("ASSAY_DUMP_AVAILABILITY"), strings.ReplaceAll(strings.Trim(path, "/"), "/", "_")+".html"), b, 0o644)
		}
	}

	// A Type II period with Availability in scope shows the services as
	// A1 evidence.
	users, _ := os.Users(ctx)
	var admin assay.User
	for _, u := range users {
		if u.Email == demoEmail {
			admin = u
		}
	}
	p := app.Principal{User: admin, Org: os, Via: "cli"}
	from, to := assay.Day(now).AddDate(0, 0, -60), assay.Day(now).AddDate(0, 0, 30)
	audit, err := m.App.CreateAudit(ctx, p, assay.NewAudit{Type: assay.AuditType2, Name: "Availability test", Firm: "Hartwell", PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		t.Fatal(err)
	}
	period, err := m.App.AuditPeriod(ctx, p, audit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(period.Availability) != 3 {
		t.Fatalf("period availability = %+v", period.Availability)
	}
	for _, a := range period.Availability {
		if a.Name == "Customer API" && (a.Downtimes != 1 || len(a.Incidents) != 1 || a.Down != 47*time.Minute || a.Percent >= 100) {
			t.Fatalf("api over the period = %+v", a)
		}
	}
}
