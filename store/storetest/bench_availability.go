package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/store"
)

// availabilitySeeder and availabilitySizer are the SQL stores' seeding and
// size reading (sqlstore), outside store.Store.
type availabilitySeeder interface {
	SeedAvailability(ctx context.Context, orgID, serviceID int64, hourly, daily, minutes []assay.Rollup, periods []assay.StatusPeriod, raw []assay.ProbeResult) error
	AvailabilityBytes(ctx context.Context) (int64, error)
}

// BenchAvailabilityYear stores what a year of 60-second probes of n
// services leaves once pruned (raw results for 24 hours, per-minute
// roll-ups for 48, hourly roll-ups for 35 days, daily roll-ups for the
// year, a short downtime a week and an unknown stretch a month), reports the bytes the availability tables take
// (MB and bytes per service), then times the one-year uptime of a service
// as its page computes it: its status periods and maintenance read once.
func BenchAvailabilityYear(b *testing.B, db store.Store, n int) {
	ctx := context.Background()
	seeder, ok := db.(availabilitySeeder)
	if !ok {
		b.Skip("the store cannot seed availability history")
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	org, err := db.CreateOrganization(ctx, assay.SystemActor, "Bench", "bench", assay.Scope{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	os := db.Org(org.ID)
	var svcs []assay.Service
	for i := range n {
		s, err := os.CreateService(ctx, assay.SystemActor, assay.Service{Name: fmt.Sprintf("service %03d", i), Kind: assay.ProbeHTTP,
			Target: fmt.Sprintf("https://s%03d.example.com/health", i), Enabled: true, SLATarget: 99.95})
		if err != nil {
			b.Fatal(err)
		}
		svcs = append(svcs, s)
	}
	yearAgo := now.AddDate(-1, 0, 0)
	for i, s := range svcs {
		var hourly, daily []assay.Rollup
		hist := func(probes, base int) assay.Histogram {
			var h assay.Histogram
			for p := 0; p < probes; p++ {
				h.Add(base + (p*37+i)%(base+1))
			}
			return h
		}
		for d := yearAgo; d.Before(now); d = d.AddDate(0, 0, 1) {
			daily = append(daily, assay.Rollup{Start: d, Probes: 1440, Up: 1437, Down: 3, Histogram: hist(1440, 60)})
		}
		for h := now.Add(-assay.HourlyRetention); h.Before(now); h = h.Add(time.Hour) {
			hourly = append(hourly, assay.Rollup{Start: h, Probes: 60, Up: 60, Histogram: hist(60, 60)})
		}
		var raw []assay.ProbeResult
		var minutes []assay.Rollup
		for t := now.Add(-assay.MinuteRetention); t.Before(now.Add(-assay.RawRetention)); t = t.Add(time.Minute) {
			minutes = append(minutes, assay.Rollup{Start: t, Probes: 1, Up: 1, Histogram: hist(1, 40+int(t.Unix()/60)%50)})
		}
		for t := now.Add(-assay.RawRetention); t.Before(now); t = t.Add(time.Minute) {
			raw = append(raw, assay.ProbeResult{At: t, Outcome: assay.OutcomeUp, LatencyMS: 40 + int(t.Unix()/60)%50})
		}
		var periods []assay.StatusPeriod
		for w := 0; w < 52; w++ {
			start := yearAgo.Add(time.Duration(w)*7*24*time.Hour + time.Duration(i)*time.Minute)
			end := start.Add(3 * time.Minute)
			periods = append(periods, assay.StatusPeriod{State: assay.StateDown, StartedAt: start, EndedAt: &end, Error: "status 503, expected 200"})
			if w%4 == 2 {
				us, ue := start.Add(24*time.Hour), start.Add(24*time.Hour+10*time.Minute)
				periods = append(periods, assay.StatusPeriod{State: assay.StateUnknown, StartedAt: us, EndedAt: &ue, Error: "prober unhealthy"})
			}
		}
		if err := seeder.SeedAvailability(ctx, org.ID, s.ID, hourly, daily, minutes, periods, raw); err != nil {
			b.Fatal(err)
		}
	}
	size, err := seeder.AvailabilityBytes(ctx)
	if err != nil {
		b.Fatal(err)
	}
	svcs, err = os.Services(ctx) // with their first probe set by the seeding
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := svcs[i%len(svcs)]
		i++
		h, err := availability.Load(ctx, os, s, now.AddDate(-1, 0, 0), now)
		if err != nil {
			b.Fatal(err)
		}
		if u := h.Uptime(now.AddDate(-1, 0, 0), now, now); u.Down != 52*3*time.Minute {
			b.Fatalf("1-year uptime = %+v", u)
		}
	}
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(float64(size)/float64(n), "bytes/service")
}

// BenchRecordProbe records one probe result (raw row, two roll-ups,
// service state) as the prober does every interval for every service.
func BenchRecordProbe(b *testing.B, db store.Store) {
	ctx := context.Background()
	org, err := db.CreateOrganization(ctx, assay.SystemActor, "Bench", "bench", assay.Scope{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	os := db.Org(org.ID)
	s, err := os.CreateService(ctx, assay.SystemActor, assay.Service{Name: "api", Kind: assay.ProbeTCP, Target: "db:5432", Enabled: true})
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		at = at.Add(time.Minute)
		if _, err := os.RecordProbe(ctx, assay.ProbeResult{ServiceID: s.ID, At: at, Outcome: assay.OutcomeUp, LatencyMS: 42}); err != nil {
			b.Fatal(err)
		}
	}
}
