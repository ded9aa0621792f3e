package main

import (
	"sync/atomic"
	"time"

	"github.com/assay-platform/assay"
)

// demoClock is the clock of a demo run: the real time, except while the
// demo records something that happened earlier (a policy published last
// year, last quarter's access review), when it reads the time the demo set.
// The store stamps every write, and its audit-trail entry, with this
// clock, so the history is written through the store API as it would have
// been at the time.
type demoClock struct {
	base assay.Clock
	at   atomic.Pointer[time.Time]
}

func newDemoClock(base assay.Clock) *demoClock { return &demoClock{base: base} }

func (c *demoClock) Now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return c.base.Now()
}

// demoAt runs fn with the clock set to t, when clock is a demo clock; on
// any other clock fn runs at the clock's time. t must not be in the future.
func demoAt(clock assay.Clock, t time.Time, fn func() error) error {
	c, ok := clock.(*demoClock)
	if !ok {
		return fn()
	}
	if now := c.base.Now(); t.After(now) {
		t = now
	}
	t = t.UTC()
	c.at.Store(&t)
	defer c.at.Store(nil)
	return fn()
}
