package auth

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Ten sign-ins at once: at most MaxConcurrentHashes hashes hold their
// memory at any moment. Each hash that starts is held until the test lets
// it go, so the count does not depend on how fast anything runs.
func TestConcurrentHashesAreBounded(t *testing.T) {
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	dummyHash() // made once, before counting
	var running, peak atomic.Int32
	entered := make(chan struct{})
	release := make(chan struct{})
	hashObserver = func(start bool) {
		if !start {
			running.Add(-1)
			return
		}
		n := running.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		entered <- struct{}{}
		<-release
	}
	t.Cleanup(func() { hashObserver = nil })

	const signIns = 10
	var wg sync.WaitGroup
	for i := range signIns {
		wg.Go(func() {
			switch {
			case i == 0:
				BurnTime("someone who does not exist") // an unknown email costs a hash too
			case i%2 == 0:
				_ = CheckPassword("wrong", h)
			default:
				_ = CheckPassword("correct horse battery", h)
			}
		})
	}
	// Fill every slot, then let one hash finish for each that starts.
	for range MaxConcurrentHashes {
		<-entered
	}
	for range signIns - MaxConcurrentHashes {
		release <- struct{}{}
		<-entered
	}
	for range MaxConcurrentHashes {
		release <- struct{}{}
	}
	wg.Wait()
	if got := peak.Load(); got != MaxConcurrentHashes {
		t.Fatalf("at most %d hashes ran at once, want exactly the limit %d", got, MaxConcurrentHashes)
	}
	if running.Load() != 0 {
		t.Fatalf("%d hashes still counted as running", running.Load())
	}
}
