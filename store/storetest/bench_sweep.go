package storetest

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/store"
)

// BenchSweepAndRecord is the worst-case monitoring figure in one loop, as
// the runner does it: CEL evaluation of 100,000 resources by 100 checks
// streamed resource by resource into RecordRunFeed (state compared,
// transitions, daily roll-up, findings, monitor_failing, digest,
// activity), 1% of the results changed since the previous run. kinds 10:
// the 100 checks spread over 10 resource kinds as a real library is, so
// each resource meets 10 checks (1M evaluations); kinds 1: all 100 checks
// judge every resource (10M evaluations, the worst case).
func BenchSweepAndRecord(b *testing.B, db store.Store, kinds int) {
	const resources, checks = 100_000, 100
	perKind := checks / kinds
	var list []assay.Check
	meta := map[string]store.CheckMeta{}
	for c := range checks {
		k, v := c%kinds, c/kinds
		expr := []string{
			`r.v%d < 50`,
			`!has(r.legacy) && r.v%d < 50`,
			`r.owner.startsWith("team") && r.v%d < 50`,
			`r.ports.all(p, p != 23) && r.v%d < 50`,
		}[c%4]
		ck := assay.Check{
			ID: fmt.Sprintf("sweep-%03d", c), Title: "Sweep check", Kind: fmt.Sprintf("sweep.kind%d", k),
			Expr: fmt.Sprintf(expr, v), Severity: assay.CheckSeverities[c%4],
			Reason: fmt.Sprintf("value {{.Attrs.v%d}} found on {{.Name}}", v), Controls: []string{LibraryIDs[c%len(LibraryIDs)]},
		}
		list = append(list, ck)
		meta[ck.ID] = store.CheckMeta{Severity: ck.Severity, Controls: ck.Controls, Title: ck.Title}
	}
	engine, err := monitor.NewEngine(list)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	res := make([]assay.Resource, resources)
	for i := range res {
		attrs := map[string]any{"owner": fmt.Sprintf("team%d", i%7), "ports": []any{int64(22), int64(443)}}
		for v := range perKind {
			val := int64(10)
			if rng.Float64() < 0.05 {
				val = 90
			}
			attrs[fmt.Sprintf("v%d", v)] = val
		}
		name := fmt.Sprintf("node-%06d.internal", i)
		res[i] = assay.Resource{Kind: fmt.Sprintf("sweep.kind%d", i%kinds), ID: name, Name: name, Attrs: attrs}
	}

	if os.Getenv("ASSAY_BENCH_PHASES") != "" {
		// RecordRun logs its phases at debug level.
		slog.SetLogLoggerLevel(slog.LevelDebug)
		defer slog.SetLogLoggerLevel(slog.LevelInfo)
	}
	ctx := context.Background()
	o, err := db.CreateOrganization(ctx, Actor, "Sweep", "sweep", assay.Scope{}, LibraryControls())
	if err != nil {
		b.Fatal(err)
	}
	org := db.Org(o.ID)
	src, err := org.CreateSource(ctx, Actor, assay.Source{Name: "fleet", Kind: "host", Enabled: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	actor := assay.Actor{Name: "Scheduler", Via: "system"}
	run := func() (assay.MonitorRun, []assay.RunChange) {
		r := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: at, EndedAt: at.Add(time.Minute), Status: assay.RunOK}
		feed := func(emit func([]assay.CheckResult) error) (time.Time, error) {
			return time.Time{}, engine.EvaluateEach(ctx, res, emit)
		}
		stored, changes, err := org.RecordRunFeed(ctx, actor, "", r, feed, meta)
		if err != nil {
			b.Fatal(err)
		}
		return stored, changes
	}
	run() // the first run sees every pair for the first time
	var stored assay.MonitorRun
	var changes []assay.RunChange
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		at = at.Add(time.Hour)
		// 1% of the results flip: a failing value passes, a passing one fails.
		for range resources * perKind / 100 {
			attrs := res[rng.IntN(resources)].Attrs
			key := fmt.Sprintf("v%d", rng.IntN(perKind))
			if attrs[key] == int64(10) {
				attrs[key] = int64(90)
			} else {
				attrs[key] = int64(10)
			}
		}
		b.StartTimer()
		c0 := cpuTime()
		stored, changes = run()
		cpu += cpuTime() - c0
	}
	b.ReportMetric(float64(stored.Pass+stored.Fail+stored.Errors), "results/op")
	b.ReportMetric(float64(len(changes)), "changes/op")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
