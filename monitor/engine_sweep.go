package monitor

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/assay-platform/assay"
)

// Engine holds a set of compiled checks indexed by the resource kind they
// evaluate. It is immutable once built and safe for concurrent use.
type Engine struct {
	progs  []*Program // in the order given to NewEngine
	byKind map[string][]*Program
	byID   map[string]*Program
}

// NewEngine compiles every check. It fails, naming each bad check, when an
// id repeats or a check does not compile.
func NewEngine(checks []assay.Check) (*Engine, error) {
	e := &Engine{byKind: map[string][]*Program{}, byID: map[string]*Program{}}
	var errs []error
	for _, c := range checks {
		if _, dup := e.byID[c.ID]; dup {
			errs = append(errs, fmt.Errorf("check %q: duplicate id", c.ID))
			continue
		}
		p, err := Compile(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("check %q: %w", c.ID, err))
			continue
		}
		e.progs = append(e.progs, p)
		e.byKind[c.Kind] = append(e.byKind[c.Kind], p)
		e.byID[c.ID] = p
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("monitor: compile checks: %w", errors.Join(errs...))
	}
	return e, nil
}

// Checks returns the engine's checks in the order they were given.
func (e *Engine) Checks() []assay.Check {
	out := make([]assay.Check, len(e.progs))
	for i, p := range e.progs {
		out[i] = p.check
	}
	return out
}

// Program returns the compiled check with the given id.
func (e *Engine) Program(id string) (*Program, bool) {
	p, ok := e.byID[id]
	return p, ok
}

// ChecksOf returns the checks that evaluate any of the given resource
// kinds (a source's ResourceKinds), in engine order.
func (e *Engine) ChecksOf(kinds ...string) []assay.Check {
	var out []assay.Check
	for _, p := range e.progs {
		if slices.Contains(kinds, p.check.Kind) {
			out = append(out, p.check)
		}
	}
	return out
}

// KindsOf returns the sorted, distinct resource kinds evaluated by the
// checks with the given ids (unknown ids are ignored), or by every check
// when no id is given.
func (e *Engine) KindsOf(checkIDs ...string) []string {
	var kinds []string
	for _, p := range e.progs {
		if len(checkIDs) > 0 && !slices.Contains(checkIDs, p.check.ID) {
			continue
		}
		if !slices.Contains(kinds, p.check.Kind) {
			kinds = append(kinds, p.check.Kind)
		}
	}
	slices.Sort(kinds)
	return kinds
}

// ErrorResults returns one error result per check of the given kinds,
// with no resource: what a run records when a source's collector failed
// or timed out. reason says why, and must hold no secret.
func (e *Engine) ErrorResults(kinds []string, reason string) []assay.CheckResult {
	var out []assay.CheckResult
	for _, p := range e.progs {
		if slices.Contains(kinds, p.check.Kind) {
			out = append(out, assay.CheckResult{
				CheckID: p.check.ID, ResourceKind: p.check.Kind,
				Status: assay.CheckError, Reason: clip(reason),
			})
		}
	}
	return out
}

// parallelMin is the number of evaluations below which a sweep stays on
// one goroutine; block is how many resources a worker takes at a time.
const (
	parallelMin = 4096
	block       = 256
)

// Evaluate runs every check of each resource's kind on that resource.
// Results come resource by resource in input order and, within one
// resource, in engine check order, whatever the number of workers; a
// resource of a kind no check evaluates yields nothing. A cancelled ctx
// turns the evaluations not yet done into error results.
func (e *Engine) Evaluate(ctx context.Context, resources []assay.Resource) []assay.CheckResult {
	offsets := make([]int, len(resources)+1)
	for i := range resources {
		offsets[i+1] = offsets[i] + len(e.byKind[resources[i].Kind])
	}
	out := make([]assay.CheckResult, offsets[len(resources)])
	workers := runtime.GOMAXPROCS(0)
	if len(out) < parallelMin || workers < 2 {
		e.sweep(ctx, resources, 0, len(resources), offsets, out)
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(block)) - block
				if lo >= len(resources) {
					return
				}
				e.sweep(ctx, resources, lo, min(lo+block, len(resources)), offsets, out)
			}
		})
	}
	wg.Wait()
	return out
}

// sweep evaluates resources[lo:hi] into their slots of out, reusing one
// activation for every evaluation.
func (e *Engine) sweep(ctx context.Context, resources []assay.Resource, lo, hi int, offsets []int, out []assay.CheckResult) {
	act := &activation{}
	for i := lo; i < hi; i++ {
		progs := e.byKind[resources[i].Kind]
		if len(progs) == 0 {
			continue
		}
		res := resources[i]
		slots := out[offsets[i]:offsets[i+1]]
		if err := ctx.Err(); err != nil {
			for j, p := range progs {
				slots[j] = assay.CheckResult{
					CheckID: p.check.ID, ResourceKind: res.Kind, ResourceID: res.ID, ResourceName: res.Name,
					Status: assay.CheckError, Reason: fmt.Sprintf("evaluation stopped before %s was checked: %v", res.Name, err),
				}
			}
			continue
		}
		res.Attrs = NormalizeAttrs(res.Attrs)
		act.attrs, act.id, act.name = res.Attrs, res.ID, res.Name
		act.size = resourceSize(&res)
		for j, p := range progs {
			slots[j] = p.eval(ctx, &res, act)
		}
	}
}
