package assay

import (
	"sync"
	"time"
)

// Clock tells the time. It is injected everywhere time matters so that
// periods, expiry and schedules are tested without sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a clock a test moves by hand. T is the time it starts at;
// once a program reads the clock from other goroutines (a server's
// scheduler and prober), move it with Set and Advance only, which are safe
// beside those reads.
type FixedClock struct {
	T  time.Time
	mu sync.Mutex
}

func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T.UTC()
}

// Advance moves the clock on by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.T = c.T.Add(d)
	c.mu.Unlock()
}

// Set moves the clock to t.
func (c *FixedClock) Set(t time.Time) {
	c.mu.Lock()
	c.T = t
	c.mu.Unlock()
}

// ClockFrom is a clock that reads start now and runs on with real time
// from there. The demo and the tests run on it at any date (ASSAY_NOW,
// ASSAY_TEST_NOW) while schedules, checkpoints and sessions still move.
func ClockFrom(start time.Time) Clock {
	return shiftedClock{offset: start.Sub(time.Now())}
}

type shiftedClock struct{ offset time.Duration }

func (c shiftedClock) Now() time.Time { return time.Now().Add(c.offset).UTC() }

// ParseInstant reads an instant given on a command line or in the
// environment: RFC 3339 ("2028-02-29T23:30:00Z", any offset) or a date
// alone ("2028-02-29"), which means noon UTC that day.
func ParseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%q is not a date (2028-02-29) or an RFC 3339 time (2028-02-29T23:30:00Z)", s)
	}
	return d.Add(12 * time.Hour), nil
}
