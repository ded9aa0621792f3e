package monitor

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/assay-platform/assay"
)

// EvaluateEach runs every check of each resource's kind on that resource,
// as Evaluate does, and hands the results to fn one resource id at a
// time instead of returning them all: fn is called on the caller's
// goroutine, once per distinct resource id that has results, in the order
// the ids first appear, with the results of every resource carrying that
// id (resources of different kinds may share one) in input order and,
// within one resource, in engine check order. The slice fn gets is reused
// once fn returns: fn must copy what it keeps (the strings in it may be
// kept). Workers evaluate ahead of fn by a bounded number of blocks, so
// memory stays small whatever the number of resources. It stops at fn's
// first error, or when ctx is cancelled, and returns that error.
func (e *Engine) EvaluateEach(ctx context.Context, resources []assay.Resource, fn func(results []assay.CheckResult) error) error {
	order, ends := e.streamPlan(resources)
	if len(ends) == 0 {
		return ctx.Err()
	}
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(ends) == 1 {
		b := &streamBlock{}
		for k := range ends {
			if err := ctx.Err(); err != nil {
				return err
			}
			e.evalBlock(ctx, resources, order, ends, k, b)
			if err := b.deliver(fn); err != nil {
				return err
			}
		}
		return nil
	}
	s := &stream{e: e, ctx: ctx, resources: resources, order: order, ends: ends,
		done: make([]chan *streamBlock, len(ends)), slots: make(chan struct{}, 2*workers+2), quit: make(chan struct{})}
	for k := range s.done {
		s.done[k] = make(chan *streamBlock, 1)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(s.work)
	}
	err := s.consume(fn)
	close(s.quit)
	wg.Wait()
	return err
}

// streamPlan returns the resources to evaluate (indexes into resources,
// those of one id together) and where each block of them ends. Blocks
// hold about block resources and never split an id.
func (e *Engine) streamPlan(resources []assay.Resource) (order []int32, ends []int) {
	first := make(map[string]int32, len(resources))
	var repeats bool
	order = make([]int32, 0, len(resources))
	for i := range resources {
		if len(e.byKind[resources[i].Kind]) == 0 {
			continue
		}
		if _, ok := first[resources[i].ID]; ok {
			repeats = true
		} else {
			first[resources[i].ID] = int32(i)
		}
		order = append(order, int32(i))
	}
	if repeats {
		// Stable: by the first appearance of each id, then input order.
		byFirst := make([][]int32, len(resources))
		for _, i := range order {
			f := first[resources[i].ID]
			byFirst[f] = append(byFirst[f], i)
		}
		order = order[:0]
		for _, g := range byFirst {
			order = append(order, g...)
		}
	}
	for lo := 0; lo < len(order); {
		hi := min(lo+block, len(order))
		for hi < len(order) && resources[order[hi]].ID == resources[order[hi-1]].ID {
			hi++
		}
		ends = append(ends, hi)
		lo = hi
	}
	return order, ends
}

// streamBlock is one block's results and where each id's results end.
type streamBlock struct {
	results []assay.CheckResult
	ends    []int
	act     activation
}

// deliver calls fn with each id's results in the block.
func (b *streamBlock) deliver(fn func([]assay.CheckResult) error) error {
	from := 0
	for _, to := range b.ends {
		if err := fn(b.results[from:to:to]); err != nil {
			return err
		}
		from = to
	}
	return nil
}

// evalBlock evaluates block k of the plan into b.
func (e *Engine) evalBlock(ctx context.Context, resources []assay.Resource, order []int32, ends []int, k int, b *streamBlock) {
	lo := 0
	if k > 0 {
		lo = ends[k-1]
	}
	b.results, b.ends = b.results[:0], b.ends[:0]
	for j := lo; j < ends[k]; j++ {
		res := resources[order[j]]
		progs := e.byKind[res.Kind]
		if j > lo && res.ID != resources[order[j-1]].ID {
			b.ends = append(b.ends, len(b.results))
		}
		res.Attrs = NormalizeAttrs(res.Attrs)
		b.act.attrs, b.act.id, b.act.name = res.Attrs, res.ID, res.Name
		b.act.size = resourceSize(&res)
		for _, p := range progs {
			b.results = append(b.results, p.eval(ctx, &res, &b.act))
		}
	}
	b.ends = append(b.ends, len(b.results))
}

// stream is one parallel EvaluateEach: workers take blocks in turn, at
// most cap(slots) ahead of the consumer, which takes them back in order.
type stream struct {
	e         *Engine
	ctx       context.Context
	resources []assay.Resource
	order     []int32
	ends      []int
	next      atomic.Int64
	done      []chan *streamBlock // block k's results, when evaluated
	slots     chan struct{}       // blocks evaluated and not yet consumed
	quit      chan struct{}       // closed when the consumer stops
	free      sync.Pool
}

func (s *stream) work() {
	for {
		select {
		case s.slots <- struct{}{}:
		case <-s.quit:
			return
		}
		k := int(s.next.Add(1)) - 1
		if k >= len(s.ends) {
			return
		}
		b, _ := s.free.Get().(*streamBlock)
		if b == nil {
			b = &streamBlock{}
		}
		s.e.evalBlock(s.ctx, s.resources, s.order, s.ends, k, b)
		s.done[k] <- b
	}
}

func (s *stream) consume(fn func([]assay.CheckResult) error) error {
	for k := range s.ends {
		var b *streamBlock
		select {
		case b = <-s.done[k]:
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
		err := b.deliver(fn)
		s.free.Put(b)
		<-s.slots
		if err != nil {
			return err
		}
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
