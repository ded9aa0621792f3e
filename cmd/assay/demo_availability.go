package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/store"
)

// availabilitySeeder writes a service's history directly (sqlstore's
// SeedAvailability): the demo cannot wait 90 days of probes.
type availabilitySeeder interface {
	SeedAvailability(ctx context.Context, orgID, serviceID int64, hourly, daily, minutes []assay.Rollup, periods []assay.StatusPeriod, raw []assay.ProbeResult) error
}

// demoServices are the demo's probed services: paused, since their
// targets do not exist (the history is seeded), with their latency.
var demoServices = []struct {
	svc       assay.Service
	latencyMS int
}{
	{assay.Service{Name: "Customer API", Kind: assay.ProbeHTTP, Target: "https://api.northwind.example/health", ExpectStatus: 200, Keyword: "ok",
		SLATarget: 99.95, Public: true, Description: "The invoicing API customers integrate with."}, 85},
	{assay.Service{Name: "Web app", Kind: assay.ProbeHTTP, Target: "https://app.northwind.example/", SLATarget: 99.9, Public: true,
		Description: "The customer-facing web application."}, 140},
	{assay.Service{Name: "Primary database", Kind: assay.ProbeTCP, Target: "db.northwind.internal:5432", SLATarget: 99.99,
		Description: "PostgreSQL primary (reached from the monitoring host)."}, 3},
}

// seedDemoAvailability adds three services with 90 days of history: one
// outage of the Customer API that opened an incident, resolved when it
// came back, and one maintenance window of the database, planned ahead.
func seedDemoAvailability(ctx context.Context, s store.Store, os store.OrgStore, clock assay.Clock, people map[string]assay.User) error {
	seeder, ok := s.(availabilitySeeder)
	if !ok {
		return nil
	}
	actor := assay.ActorFor(people[demoEmail], "web")
	now := clock.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	start := today.AddDate(0, 0, -90)
	rng := rand.New(rand.NewPCG(15, 90))
	outageStart := today.AddDate(0, 0, -12).Add(14*time.Hour + 3*time.Minute)
	outageEnd := outageStart.Add(47 * time.Minute)
	maintStart := today.AddDate(0, 0, -20).Add(2 * time.Hour)
	maintEnd := maintStart.Add(90 * time.Minute)
	for i, d := range demoServices {
		svc := d.svc
		svc.Enabled, svc.Retries = false, assay.DefaultProbeRetries
		var created assay.Service
		err := demoAt(clock, start.Add(-time.Hour), func() error {
			var err error
			created, err = os.CreateService(ctx, actor, svc)
			return err
		})
		if err != nil {
			return fmt.Errorf("demo service %s: %w", svc.Name, err)
		}
		var periods []assay.StatusPeriod
		if i == 0 {
			periods = append(periods, assay.StatusPeriod{State: assay.StateDown, StartedAt: outageStart, EndedAt: &outageEnd,
				Error: "status 503, expected 200"})
		}
		var windows []assay.MaintenanceWindow
		if i == 2 {
			err := demoAt(clock, maintStart.AddDate(0, 0, -5), func() error {
				m, err := os.CreateMaintenance(ctx, actor, assay.MaintenanceWindow{ServiceID: created.ID, StartsAt: maintStart, EndsAt: maintEnd,
					Reason: "PostgreSQL minor version upgrade and failover test"})
				windows = append(windows, m)
				return err
			})
			if err != nil {
				return fmt.Errorf("demo maintenance: %w", err)
			}
		}
		hourly, daily := demoRollups(created.ID, start, now, d.latencyMS, rng, periods, windows)
		if err := seeder.SeedAvailability(ctx, os.OrgID(), created.ID, hourly, daily, nil, periods, nil); err != nil {
			return fmt.Errorf("demo history of %s: %w", svc.Name, err)
		}
		if i != 0 {
			continue
		}
		// The outage passed the 5-minute threshold: the prober opened an
		// incident then, and resolved it when the API answered again.
		ps, err := os.StatusPeriods(ctx, created.ID, outageStart, outageEnd)
		if err != nil || len(ps) != 1 {
			return fmt.Errorf("demo outage: %v (%d periods)", err, len(ps))
		}
		detected := outageStart.Add(5 * time.Minute)
		err = demoAt(clock, detected, func() error {
			_, _, err := os.OpenDowntimeIncident(ctx, availability.Actor, ps[0].ID, assay.NewIncident{Title: "Customer API is down",
				Description: "Availability monitoring: Customer API (http https://api.northwind.example/health) has failed its probes since " +
					outageStart.Format(time.RFC3339) + ": status 503, expected 200.", OccurredAt: outageStart, DetectedAt: detected},
				"Detected by availability monitoring: down for 5m0s (threshold 5m0s). Last error: status 503, expected 200")
			return err
		})
		if err != nil {
			return fmt.Errorf("demo outage incident: %w", err)
		}
		ps, _ = os.StatusPeriods(ctx, created.ID, outageStart, outageEnd)
		err = demoAt(clock, outageEnd.Add(time.Minute), func() error {
			return availability.Resolve(ctx, os, ps[0].IncidentID, ps[0], outageEnd)
		})
		if err != nil {
			return fmt.Errorf("demo outage resolved: %w", err)
		}
	}
	// And one more window planned for next week.
	svcs, err := os.Services(ctx)
	if err != nil || len(svcs) == 0 {
		return err
	}
	next := today.AddDate(0, 0, 6).Add(3 * time.Hour)
	_, err = os.CreateMaintenance(ctx, actor, assay.MaintenanceWindow{ServiceID: svcs[0].ID, StartsAt: next, EndsAt: next.Add(time.Hour),
		Reason: "Load balancer certificate rotation"})
	return err
}

// demoRollups makes one probe a minute from start to now: up, with
// latency around ms, down during the periods, maintenance in the windows.
// Hourly roll-ups cover the last 8 days (what the store keeps of them is
// less); daily ones all 90.
func demoRollups(id int64, start, now time.Time, ms int, rng *rand.Rand, periods []assay.StatusPeriod, windows []assay.MaintenanceWindow) (hourly, daily []assay.Rollup) {
	hourFrom := now.Add(-8 * 24 * time.Hour).Truncate(time.Hour)
	var day, hour *assay.Rollup
	for t := start; t.Before(now); t = t.Add(time.Minute) {
		if d := t.Truncate(24 * time.Hour); day == nil || !day.Start.Equal(d) {
			daily = append(daily, assay.Rollup{ServiceID: id, Start: d})
			day = &daily[len(daily)-1]
		}
		hour = nil
		if !t.Before(hourFrom) {
			if h := t.Truncate(time.Hour); len(hourly) == 0 || !hourly[len(hourly)-1].Start.Equal(h) {
				hourly = append(hourly, assay.Rollup{ServiceID: id, Start: h})
			}
			hour = &hourly[len(hourly)-1]
		}
		outcome := assay.OutcomeUp
		for _, w := range windows {
			if !t.Before(w.StartsAt) && t.Before(w.EndsAt) {
				outcome = assay.OutcomeMaintenance
			}
		}
		for _, p := range periods {
			if !t.Before(p.StartedAt) && t.Before(*p.EndedAt) {
				outcome = assay.OutcomeDown
			}
		}
		lat := ms/2 + rng.IntN(ms+1)
		if rng.IntN(200) == 0 {
			lat *= 4 // the odd slow answer
		}
		for _, r := range []*assay.Rollup{day, hour} {
			if r == nil {
				continue
			}
			r.Probes++
			switch outcome {
			case assay.OutcomeUp:
				r.Up++
				r.Histogram.Add(lat)
			case assay.OutcomeDown:
				r.Down++
				r.Histogram.Add(10000)
			case assay.OutcomeMaintenance:
				r.Maintenance++
			}
		}
	}
	return hourly, daily
}
