package runner

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// Two schedulers over one store: the due source runs once, not again
// until its next slot, and Stop returns with nothing in flight.
func TestSchedulerRunsDueSourceOnce(t *testing.T) {
	e := newEnv(t)
	withChecks(e, testChecks)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			hits.Add(1)
		}
	}))
	defer srv.Close()
	src, err := e.org.CreateSource(e.ctx, assay.SystemActor, assay.Source{Name: "plain", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": srv.URL + "/health"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &Scheduler{Runner: e.runner, Concurrency: 2}
	b := &Scheduler{Runner: e.runner, Concurrency: 2}
	// Both poll at the same moment: the due source runs once.
	var ran atomic.Int64
	var wg sync.WaitGroup
	for _, s := range []*Scheduler{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); ran.Add(int64(s.Tick(e.ctx))) }()
	}
	wg.Wait()
	if ran.Load() != 1 {
		t.Fatalf("two schedulers polling together ran the due source %d times", ran.Load())
	}
	// More polls while the fixed clock has not moved: nothing is due.
	for range 20 {
		if n := a.Tick(e.ctx) + b.Tick(e.ctx); n != 0 {
			t.Fatalf("a poll before the next slot ran %d sources", n)
		}
	}
	runs, _ := e.org.Runs(e.ctx, src.ID, 0)
	if len(runs) != 1 || hits.Load() != 1 || runs[0].Trigger != assay.TriggerSchedule {
		t.Fatalf("%d runs, %d collections", len(runs), hits.Load())
	}
	// The clock reaches the next slot: one more run.
	e.clock.Advance(61 * time.Minute)
	if n := b.Tick(e.ctx); n != 1 || hits.Load() != 2 {
		t.Fatalf("at the next slot: %d runs, %d collections", n, hits.Load())
	}
	// Start polls in the background and Stop returns with nothing in
	// flight: the slot after that runs from the loop.
	e.clock.Advance(61 * time.Minute)
	a.Poll = 5 * time.Millisecond
	a.Start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := e.org.Runs(e.ctx, src.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) == 3 {
			break
		}
		if time.Now().After(deadline) {
			a.Stop()
			t.Fatalf("the background loop never recorded the next slot: %d runs", len(runs))
		}
		time.Sleep(5 * time.Millisecond)
	}
	a.Stop()
	if runs, _ := e.org.Runs(e.ctx, src.ID, 0); len(runs) != 3 || hits.Load() != 3 {
		t.Fatalf("after Stop: %d runs and %d collections, want 3 and 3", len(runs), hits.Load())
	}
}
