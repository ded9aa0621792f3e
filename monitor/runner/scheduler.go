package runner

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

// Scheduler defaults.
const (
	DefaultPoll        = 30 * time.Second
	DefaultConcurrency = 4
)

// Scheduler runs due sources. Every Poll it claims, from the database,
// as many due sources as it has free workers (Store.ClaimDueSources moves
// each claimed source's next run forward in the same statement, so with
// several processes on one database a due slot is claimed, and run, by
// exactly one of them) and runs each with trigger "schedule".
type Scheduler struct {
	Runner      *Runner
	Poll        time.Duration // default 30 s
	Concurrency int           // runs at once in this process (default 4)
	// RunTimeout bounds a whole run, collection, evaluation and recording
	// (default three times the runner's collection timeout).
	RunTimeout time.Duration

	cancel context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup
}

func (s *Scheduler) defaults() {
	if s.Poll <= 0 {
		s.Poll = DefaultPoll
	}
	if s.Concurrency <= 0 {
		s.Concurrency = DefaultConcurrency
	}
	if s.RunTimeout <= 0 {
		s.RunTimeout = 3 * s.Runner.timeout()
	}
}

// Start begins polling in the background. Stop ends it.
func (s *Scheduler) Start() {
	s.defaults()
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.done = make(chan struct{})
	go s.loop(ctx)
}

// Stop stops claiming, cancels the runs in flight (a cancelled run
// records nothing; its source runs again at its next slot) and waits for
// them to end.
func (s *Scheduler) Stop() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	<-s.done
	s.wg.Wait()
	s.cancel = nil
}

func (s *Scheduler) loop(ctx context.Context) {
	defer close(s.done)
	sem := make(chan struct{}, s.Concurrency)
	t := time.NewTicker(s.Poll)
	defer t.Stop()
	for {
		s.claim(ctx, sem, &s.wg)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick is one poll done at once: it claims the sources due at the
// runner's clock, as many as Concurrency, runs them and waits for them to
// end. It returns how many it ran. Tests move a fake clock and call Tick
// instead of waiting for polls; it may run beside Start's loop (claims
// are exclusive).
func (s *Scheduler) Tick(ctx context.Context) int {
	s.defaults()
	var wg sync.WaitGroup
	n := s.claim(ctx, make(chan struct{}, s.Concurrency), &wg)
	wg.Wait()
	return n
}

// claim claims due sources for the free workers of sem and starts their
// runs, counted in wg. It returns how many it started: a file source still
// waiting for its document is claimed (its slot passes) but not run.
func (s *Scheduler) claim(ctx context.Context, sem chan struct{}, wg *sync.WaitGroup) int {
	free := cap(sem) - len(sem)
	if free == 0 || ctx.Err() != nil {
		return 0
	}
	log := s.Runner.log()
	due, err := s.Runner.Store.ClaimDueSources(ctx, s.Runner.clock().Now(), free)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("monitor scheduler: claiming due sources failed", "err", err)
		}
		return 0
	}
	started := 0
	for _, src := range due {
		if Waiting(src) {
			// A file source without a document has nothing to run until
			// one is imported (which runs it at once); its slot passes.
			log.Debug("monitor scheduler: source has no document yet; skipped", "org", src.OrgID, "source", src.ID, "kind", src.Kind)
			continue
		}
		started++
		sem <- struct{}{}
		wg.Add(1)
		go func(src assay.Source) {
			defer wg.Done()
			defer func() { <-sem }()
			s.runOne(ctx, log, src)
		}(src)
	}
	return started
}

func (s *Scheduler) runOne(ctx context.Context, log *slog.Logger, src assay.Source) {
	ctx, cancel := context.WithTimeout(ctx, s.RunTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			log.Error("monitor scheduler: run crashed", "org", src.OrgID, "source", src.ID, "panic", p)
		}
	}()
	_, err := s.Runner.RunSource(ctx, s.Runner.Store.Org(src.OrgID), src.ID, assay.TriggerSchedule)
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		log.Info("monitor scheduler: run stopped by shutdown; the source runs at its next slot", "org", src.OrgID, "source", src.ID)
	default:
		log.Warn("monitor scheduler: run not recorded", "org", src.OrgID, "source", src.ID, "kind", src.Kind, "err", err)
	}
}
