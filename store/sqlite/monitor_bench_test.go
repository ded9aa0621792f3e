package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// TestMonitorNextRunSurvivesReopen: a claimed source's next run is in the
// database, so a restarted process does not run it again early.
func TestMonitorNextRunSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "assay.db")
	s := open(t, path, config())
	org, err := s.CreateOrganization(ctx, storetest.Actor, "Kept", "kept", assay.Scope{}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.Org(org.ID).CreateSource(ctx, storetest.Actor, assay.Source{Name: "web", Kind: "http", Enabled: true, IntervalMinutes: 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := storetest.Epoch.Add(time.Minute)
	if got, err := s.ClaimDueSources(ctx, now, 10); err != nil || len(got) != 1 {
		t.Fatalf("claim = %v, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path, config())
	defer s.Close()
	if got, err := s.ClaimDueSources(ctx, now.Add(29*time.Minute), 10); err != nil || len(got) != 0 {
		t.Fatalf("after reopening, claimed early: %v, %v", got, err)
	}
	got, err := s.Org(org.ID).Source(ctx, src.ID)
	if err != nil || !got.NextRunAt.Equal(now.Add(30*time.Minute)) {
		t.Fatalf("next run after reopening = %v, %v", got.NextRunAt, err)
	}
}

// monitorFleet is a synthetic source: resources x checks, a share failing.
type monitorFleet struct {
	db      *sqlstore.DB
	org     store.OrgStore
	src     assay.Source
	checks  []string
	results []assay.CheckResult // resource-major: resource r, check c at r*len(checks)+c
	meta    map[string]store.CheckMeta
	rng     *rand.Rand
	failing []int // indexes of failing results
	where   []int // position of each failing result in failing, -1 if passing
	at      time.Time
}

var monitorActor = assay.Actor{Name: "Scheduler", Via: "system"}

func newMonitorFleet(tb testing.TB, path string, resources, checks int, failShare float64) *monitorFleet {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlstore.Config{Criteria: storetest.Criteria()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	org, err := db.CreateOrganization(ctx, storetest.Actor, "Fleet", "fleet", assay.Scope{}, storetest.LibraryControls())
	if err != nil {
		tb.Fatal(err)
	}
	f := &monitorFleet{db: db, org: db.Org(org.ID), meta: map[string]store.CheckMeta{}, rng: rand.New(rand.NewPCG(1, 2)),
		at: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if f.src, err = f.org.CreateSource(ctx, storetest.Actor, assay.Source{Name: "fleet", Kind: "host", Enabled: true}, nil); err != nil {
		tb.Fatal(err)
	}
	for c := range checks {
		id := fmt.Sprintf("host-check-%03d", c)
		f.checks = append(f.checks, id)
		f.meta[id] = store.CheckMeta{Severity: assay.CheckSeverities[c%4], Controls: []string{storetest.LibraryIDs[c%6]}, Title: "Check " + id}
	}
	f.results = make([]assay.CheckResult, 0, resources*checks)
	f.where = make([]int, resources*checks)
	for r := range resources {
		id := fmt.Sprintf("host-%06d", r)
		name := id + ".internal"
		for _, c := range f.checks {
			f.where[len(f.results)] = -1
			f.results = append(f.results, assay.CheckResult{CheckID: c, ResourceKind: "host.baseline", ResourceID: id, ResourceName: name, Status: assay.CheckPass})
		}
	}
	for i := range f.results {
		if f.rng.Float64() < failShare {
			f.setFail(i, true)
		}
	}
	return f
}

func (f *monitorFleet) setFail(i int, fail bool) {
	r := &f.results[i]
	if fail {
		r.Status, r.Reason = assay.CheckFail, fmt.Sprintf("%s: setting %d is off on %s", r.CheckID, i%7, r.ResourceName)
		f.where[i] = len(f.failing)
		f.failing = append(f.failing, i)
		return
	}
	r.Status, r.Reason = assay.CheckPass, ""
	pos := f.where[i]
	last := f.failing[len(f.failing)-1]
	f.failing[pos], f.where[last] = last, pos
	f.failing = f.failing[:len(f.failing)-1]
	f.where[i] = -1
}

// churn changes n results, half new failures and half recoveries, so the
// failing share stays level; it returns the indexes changed.
func (f *monitorFleet) churn(n int) []int {
	changed := make([]int, 0, n)
	picked := map[int]bool{}
	for len(changed) < n {
		var i int
		if len(changed)%2 == 0 || len(f.failing) == 0 {
			i = f.rng.IntN(len(f.results))
			if f.where[i] >= 0 {
				continue
			}
		} else {
			i = f.failing[f.rng.IntN(len(f.failing))]
		}
		if picked[i] {
			continue
		}
		picked[i] = true
		f.setFail(i, f.where[i] < 0)
		changed = append(changed, i)
	}
	return changed
}

func (f *monitorFleet) run() assay.MonitorRun {
	return assay.MonitorRun{SourceID: f.src.ID, Trigger: assay.TriggerSchedule, StartedAt: f.at, EndedAt: f.at.Add(time.Minute), Status: assay.RunOK}
}

// BenchmarkRecordRunSteady: one scheduled run of 100,000 resources x 100
// checks (10M results), 1% of them changed since the last run (half new
// failures with findings and corrective actions, half recoveries).
func BenchmarkRecordRunSteady(b *testing.B) {
	resources := 100_000
	if os.Getenv("ASSAY_BENCH_SMALL") == "1" {
		resources = 10_000
	}
	f := newMonitorFleet(b, filepath.Join(b.TempDir(), "steady.db"), resources, 100, 0.05)
	ctx := context.Background()
	start := time.Now()
	if _, _, err := f.org.RecordRun(ctx, monitorActor, f.run(), f.results, f.meta); err != nil {
		b.Fatal(err)
	}
	b.Logf("first run (every pair new): %v", time.Since(start))
	if os.Getenv("ASSAY_BENCH_PHASES") == "1" {
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	changes := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		f.at = f.at.Add(time.Hour)
		f.churn(len(f.results) / 100)
		b.StartTimer()
		_, ch, err := f.org.RecordRun(ctx, monitorActor, f.run(), f.results, f.meta)
		if err != nil {
			b.Fatal(err)
		}
		changes = len(ch)
	}
	b.ReportMetric(float64(changes), "changes/op")
	b.ReportMetric(float64(len(f.results)), "results/op")
}

// TestMonitorYearSimulation (ASSAY_BENCH_YEAR=1; it takes minutes): a year
// of hourly runs over 10,000 resources x 100 checks with 1% of the results
// changing per day (half new failures, half recoveries). The first run is
// a full RecordRun; the 8,760 hourly runs go through the same write path
// with only their changed results (sqlstore.RecordPartialRun), since
// building 1M results per hour would only time the test itself. It reports
// the database size per table and times the Monitoring page's queries.
func TestMonitorYearSimulation(t *testing.T) {
	if os.Getenv("ASSAY_BENCH_YEAR") != "1" {
		t.Skip("set ASSAY_BENCH_YEAR=1 to simulate a year of monitoring (minutes)")
	}
	const resources, nchecks, perDay = 10_000, 100, 10_000
	path := filepath.Join(t.TempDir(), "year.db")
	f := newMonitorFleet(t, path, resources, nchecks, 0.05)
	ctx := context.Background()
	if _, _, err := f.org.RecordRun(ctx, monitorActor, f.run(), f.results, f.meta); err != nil {
		t.Fatal(err)
	}
	failing := make([]int, nchecks)
	for _, i := range f.failing {
		failing[i%nchecks]++
	}
	start := time.Now()
	transitions := 0
	hours := 8760
	if v, err := strconv.Atoi(os.Getenv("ASSAY_BENCH_YEAR_HOURS")); err == nil && v > 0 {
		hours = v // a shorter smoke run
	}
	for h := 1; h <= hours; h++ {
		f.at = f.at.Add(time.Hour)
		n := perDay*h/24 - perDay*(h-1)/24
		changed := f.churn(n)
		batch := make([]assay.CheckResult, len(changed))
		for k, i := range changed {
			batch[k] = f.results[i]
			if f.where[i] >= 0 {
				failing[i%nchecks]++
			} else {
				failing[i%nchecks]--
			}
		}
		totals := make(map[string][3]int, nchecks)
		for c, id := range f.checks {
			totals[id] = [3]int{resources - failing[c], failing[c], 0}
		}
		_, ch, err := f.db.RecordPartialRun(ctx, f.org.OrgID(), monitorActor, f.run(), batch, totals, f.meta)
		if err != nil {
			t.Fatalf("hour %d: %v", h, err)
		}
		transitions += len(ch)
		if h%720 == 0 {
			t.Logf("day %d: %d transitions, %v", h/24, transitions, time.Since(start).Round(time.Second))
		}
	}
	t.Logf("%d hourly runs: %d transitions in %v", hours, transitions, time.Since(start).Round(time.Second))
	if err := f.db.Close(); err != nil { // checkpoints the WAL into the file
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("database file: %.1f MB", float64(st.Size())/1e6)
	logTableSizes(t, path)

	db := open(t, path, config())
	defer db.Close()
	o := db.Org(f.org.OrgID())
	to := f.at
	from := to.AddDate(0, 0, -29)
	for range 3 { // warm, then time
		t0 := time.Now()
		days, err := o.CheckDays(ctx, from, to)
		if err != nil || len(days) != nchecks || len(days[f.checks[7]]) != min(30, hours/24+1) {
			t.Fatalf("check days: %d checks, %d days, %v", len(days), len(days[f.checks[7]]), err)
		}
		t.Logf("CheckDays, 30 days x %d checks: %v", nchecks, time.Since(t0))
	}
	t0 := time.Now()
	hist, err := o.CheckHistory(ctx, f.checks[7], 0, "", to.AddDate(0, 0, -30), to)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("CheckHistory, one check, 30 days: %d transitions in %v", len(hist), time.Since(t0))
	t0 = time.Now()
	s, _, err := o.StatusAt(ctx, f.checks[7], 0, "host-000042", to.AddDate(0, -6, 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("StatusAt six months ago: %q in %v", s, time.Since(t0))
}

// logTableSizes logs the bytes each table and index takes (SQLite's dbstat).
func logTableSizes(t *testing.T, path string) {
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Logf("table sizes: %v", err)
		return
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 15`)
	if err != nil {
		t.Logf("table sizes unavailable: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var size int64
		if err := rows.Scan(&name, &size); err != nil {
			t.Logf("table sizes: %v", err)
			return
		}
		t.Logf("  %-40s %8.1f MB", name, float64(size)/1e6)
	}
}
