package web

import (
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

// throttle counts failed sign-ins per key (an email, a client address) in
// a sliding window and refuses more once a key reaches the limit. It is
// per process and in memory: enough to make guessing passwords slow.
type throttle struct {
	mu     sync.Mutex
	clock  assay.Clock
	limit  int
	window time.Duration
	fails  map[string][]time.Time
}

func newThrottle(clock assay.Clock, limit int, window time.Duration) *throttle {
	return &throttle{clock: clock, limit: limit, window: window, fails: map[string][]time.Time{}}
}

// allowed reports whether every key is under the limit.
func (t *throttle) allowed(keys ...string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	for _, k := range keys {
		if len(t.recent(k, now)) >= t.limit {
			return false
		}
	}
	return true
}

// fail records a failure against every key.
func (t *throttle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	for _, k := range keys {
		t.fails[k] = append(t.recent(k, now), now)
	}
	if len(t.fails) > 100_000 { // bound memory under a spray of keys
		for k := range t.fails {
			if len(t.recent(k, now)) == 0 {
				delete(t.fails, k)
			}
		}
	}
}

// reset forgets a key's failures (after a successful sign-in).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

func (t *throttle) recent(k string, now time.Time) []time.Time {
	list := t.fails[k]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.fails, k)
		return nil
	}
	t.fails[k] = list
	return list
}
