package main

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect"
	"github.com/assay-platform/assay/store"
)

// partialRecorder records a run from its changed results only (the SQL
// stores' RecordPartialRun): the same write path as RecordRun, ledger
// included, without building every result of every hour.
type partialRecorder interface {
	RecordPartialRun(ctx context.Context, orgID int64, actor assay.Actor, run assay.MonitorRun, changed []assay.CheckResult,
		totals map[string][3]int, meta map[string]store.CheckMeta) (assay.MonitorRun, []assay.RunChange, error)
}

// demoDrift is a result that drifted to failing and when it recovers.
type demoDrift struct {
	index   int
	recover int // the hour it passes again
}

// seedScaleTerraform adds a Terraform source of size.Resources resources
// with size.Hours hourly runs ending now: the first run records every
// result, each later hour two resources drift out of line and drifts six
// hours old are put right. Each run is written at its own time through the
// demo clock.
func seedScaleTerraform(ctx context.Context, db store.Store, os store.OrgStore, clock assay.Clock, people map[string]assay.User, size DemoSize) error {
	if size.Resources == 0 {
		return nil
	}
	actor := assay.ActorFor(people[demoEmail], "web")
	doc, err := demoScaleTerraform(size.Resources)
	if err != nil {
		return err
	}
	now := clock.Now().UTC()
	col, ok := collect.ByKind("terraform", &assay.FixedClock{T: now})
	if !ok {
		return fmt.Errorf("no terraform collector")
	}
	resources, err := col.Collect(ctx, monitor.Config{Settings: map[string]string{}, Input: doc})
	if err != nil {
		return err
	}
	checks, err := catalog.LibraryCheckList()
	if err != nil {
		return err
	}
	meta := map[string]store.CheckMeta{}
	var mine []assay.Check
	kinds := map[string]bool{}
	for _, k := range col.ResourceKinds() {
		kinds[k] = true
	}
	for _, c := range checks {
		meta[c.ID] = store.CheckMeta{Severity: c.Severity, Controls: c.Controls}
		if kinds[c.Kind] {
			mine = append(mine, c)
		}
	}
	engine, err := monitor.NewEngine(mine)
	if err != nil {
		return err
	}
	results := engine.Evaluate(ctx, resources)
	src, err := os.CreateSource(ctx, actor, assay.Source{Name: "Platform Terraform (all accounts)", Kind: "terraform", Settings: map[string]string{},
		IntervalMinutes: 60, Enabled: true}, nil)
	if err != nil {
		return err
	}
	start := now.Truncate(time.Hour).Add(-time.Duration(size.Hours-1) * time.Hour)
	run := func(h int) assay.MonitorRun {
		at := start.Add(time.Duration(h) * time.Hour)
		if at.After(now) {
			at = now.Add(-time.Minute)
		}
		return assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: at, EndedAt: at.Add(40 * time.Second), Status: assay.RunOK}
	}
	first := run(0)
	if err := demoAt(clock, first.EndedAt, func() error {
		_, _, err := os.RecordRun(ctx, assay.SystemActor, first, results, meta)
		return err
	}); err != nil {
		return fmt.Errorf("first run: %w", err)
	}
	totals := map[string][3]int{}
	var passing []int
	for i, r := range results {
		t := totals[r.CheckID]
		switch r.Status {
		case assay.CheckPass:
			t[0]++
			passing = append(passing, i)
		case assay.CheckFail:
			t[1]++
		default:
			t[2]++
		}
		totals[r.CheckID] = t
	}
	pr, partial := db.(partialRecorder)
	var drifts []demoDrift
	next := 0
	for h := 1; h < size.Hours; h++ {
		var changed []assay.CheckResult
		kept := drifts[:0]
		for _, d := range drifts {
			if d.recover > h {
				kept = append(kept, d)
				continue
			}
			r := results[d.index]
			r.Status, r.Reason = assay.CheckPass, ""
			results[d.index] = r
			t := totals[r.CheckID]
			t[0], t[1] = t[0]+1, t[1]-1
			totals[r.CheckID] = t
			changed = append(changed, r)
		}
		drifts = kept
		for range 2 {
			if len(passing) == 0 {
				break
			}
			i := passing[(next*7919)%len(passing)]
			next++
			if results[i].Status != assay.CheckPass {
				continue
			}
			r := results[i]
			r.Status, r.Reason = assay.CheckFail, "Changed outside Terraform: the live setting no longer matches the plan."
			results[i] = r
			t := totals[r.CheckID]
			t[0], t[1] = t[0]-1, t[1]+1
			totals[r.CheckID] = t
			changed = append(changed, r)
			drifts = append(drifts, demoDrift{index: i, recover: h + 6})
		}
		rn := run(h)
		err := demoAt(clock, rn.EndedAt, func() error {
			if !partial {
				_, _, err := os.RecordRun(ctx, assay.SystemActor, rn, results, meta)
				return err
			}
			_, _, err := pr.RecordPartialRun(ctx, src.OrgID, assay.SystemActor, rn, changed, totals, meta)
			return err
		})
		if err != nil {
			return fmt.Errorf("hour %d: %w", h, err)
		}
	}
	return nil
}
