package main

import (
	"context"
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
