package assay

import "time"

// Clock tells the time. It is injected everywhere time matters so that
// periods, expiry and schedules are tested without sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a clock a test moves by hand.
type FixedClock struct{ T time.Time }

func (c *FixedClock) Now() time.Time          { return c.T.UTC() }
func (c *FixedClock) Advance(d time.Duration) { c.T = c.T.Add(d) }
