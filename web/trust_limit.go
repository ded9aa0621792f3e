package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/assay-platform/assay"
)

// trustLimiter bounds the public request form: a few requests an hour
// from one client address, and a ceiling for everyone together, so the
// form cannot be used to flood the admins' queue or the ledger.
type trustLimiter struct {
	mu     sync.Mutex
	clock  assay.Clock
	byAddr map[string]*rate.Limiter
	all    *rate.Limiter
}

const (
	trustPerAddrPerHour = 5
	trustAllPerHour     = 200
)

func newTrustLimiter(clock assay.Clock) *trustLimiter {
	return &trustLimiter{clock: clock, byAddr: map[string]*rate.Limiter{},
		all: rate.NewLimiter(rate.Every(time.Hour/trustAllPerHour), trustAllPerHour/4)}
}

// allow reports whether a request from addr may go ahead now.
func (l *trustLimiter) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	lim, ok := l.byAddr[addr]
	if !ok {
		if len(l.byAddr) > 10000 { // forget the quiet ones rather than grow without end
			for k, v := range l.byAddr {
				if v.TokensAt(now) >= trustPerAddrPerHour {
					delete(l.byAddr, k)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(time.Hour/trustPerAddrPerHour), trustPerAddrPerHour)
		l.byAddr[addr] = lim
	}
	if !lim.AllowN(now, 1) {
		return false
	}
	return l.all.AllowN(now, 1)
}
