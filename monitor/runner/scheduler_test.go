package runner

import (
	"net/http"
	"net/http/httptest"
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
	a := &Scheduler{Runner: e.runner, Poll: 5 * time.Millisecond, Concurrency: 2}
	b := &Scheduler{Runner: e.runner, Poll: 5 * time.Millisecond, Concurrency: 2}
	a.Start()
	b.Start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := e.org.Runs(e.ctx, src.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the due source never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // 20 more polls each; the fixed clock has not moved
	a.Stop()
	b.Stop()
	runs, _ := e.org.Runs(e.ctx, src.ID, 0)
	if len(runs) != 1 || hits.Load() != 1 || runs[0].Trigger != assay.TriggerSchedule {
		t.Fatalf("%d runs, %d collections", len(runs), hits.Load())
	}
	// The clock reaches the next slot: one more run.
	e.clock.Advance(61 * time.Minute)
	a.Start()
	defer a.Stop()
	for hits.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("the next slot never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
