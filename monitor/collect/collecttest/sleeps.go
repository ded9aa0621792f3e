package collecttest

import (
	"context"
	"sync"
	"time"
)

// Sleeps stands in for a collector's Sleep: it records each wait the
// collector asked for (rate limits, backoff) and returns at once, so a
// test can assert the waits without spending them.
type Sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

// Sleep records d and returns the context's error.
func (s *Sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

// All is every wait asked for so far, in order.
func (s *Sleeps) All() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}
