package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/store"
)

// BenchmarkSweepAndRecord is the whole figure in one loop: CEL
// evaluation of 100,000 resources by 100 checks and the run persisted
// (transitions, roll-up, findings, digest) with RecordRun, 1% of the
// results changed since the previous run. by-kind: the 100 checks spread
// over 10 resource kinds as a real library is, so each resource meets 10
// checks (1M evaluations); all-apply: all 100 checks judge every resource
// (10M evaluations, the worst case).
//
//	go test ./store/sqlite -run '^$' -bench SweepAndRecord -benchtime 3x
func BenchmarkSweepAndRecord(b *testing.B) {
	b.Run("by-kind", func(b *testing.B) { benchSweepAndRecord(b, 10) })
	b.Run("all-apply", func(b *testing.B) { benchSweepAndRecord(b, 1) })
}

func benchSweepAndRecord(b *testing.B, kinds int) {
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
			Reason: fmt.Sprintf("value {{.Attrs.v%d}} found on {{.Name}}", v), Controls: []string{"MON-01"},
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

	f := newMonitorFleet(b, filepath.Join(b.TempDir(), "sweep.db"), 0, 0, 0)
	ctx := context.Background()
	var evalTime, recordTime time.Duration
	run := func() (assay.MonitorRun, []assay.RunChange) {
		t0 := time.Now()
		results := engine.Evaluate(ctx, res)
		t1 := time.Now()
		stored, changes, err := f.org.RecordRun(ctx, monitorActor, f.run(), results, meta)
		if err != nil {
			b.Fatal(err)
		}
		evalTime, recordTime = evalTime+t1.Sub(t0), recordTime+time.Since(t1)
		return stored, changes
	}
	run() // the first run sees every pair for the first time
	evalTime, recordTime = 0, 0
	var stored assay.MonitorRun
	var changes []assay.RunChange
	for b.Loop() {
		b.StopTimer()
		f.at = f.at.Add(time.Hour)
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
		stored, changes = run()
	}
	b.ReportMetric(float64(stored.Pass+stored.Fail+stored.Errors), "results/op")
	b.ReportMetric(float64(len(changes)), "changes/op")
	b.ReportMetric(evalTime.Seconds()/float64(b.N), "eval-s/op")
	b.ReportMetric(recordTime.Seconds()/float64(b.N), "record-s/op")
}
