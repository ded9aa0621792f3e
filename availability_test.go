package assay

import (
	"testing"
	"time"
)

func TestHistogramQuantilesAndEncoding(t *testing.T) {
	var h Histogram
	for i := 1; i <= 100; i++ {
		h.Add(i) // 1..100 ms
	}
	if p50, p99 := h.Quantile(0.5), h.Quantile(0.99); p50 < 40 || p50 > 60 || p99 < 90 || p99 > 100 {
		t.Fatalf("p50 %d p99 %d", p50, p99)
	}
	back := DecodeHistogram(EncodeHistogram(h))
	for i := range h {
		if back[i] != h[i] {
			t.Fatalf("round trip: %v != %v", back, h)
		}
	}
	if (Histogram{}).Quantile(0.5) != 0 || len(EncodeHistogram(Histogram{})) != 0 {
		t.Fatal("empty histogram")
	}
	var slow Histogram
	slow.Add(60000)
	if q := slow.Quantile(0.5); q <= 10000 || q > 20000 {
		t.Fatalf("slowest bucket %d", q)
	}
}

// TestServiceStep: retries before down, the downtime dated from the first
// failure, unknown results forgetting the failures counted.
func TestServiceStep(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := Service{ID: 1, Retries: 2, State: StatePending}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	step := func(m int, o ProbeOutcome) ProbeStep {
		st := s.Step(ProbeResult{ServiceID: 1, At: at(m), Outcome: o})
		s = st.Service
		return st
	}
	if st := step(0, OutcomeUp); s.State != StateUp || st.Open != nil {
		t.Fatalf("up: %+v", st)
	}
	step(1, OutcomeDown)
	step(2, OutcomeDown)
	if s.State != StateUp {
		t.Fatalf("down after 2 failures with 2 retries")
	}
	st := step(3, OutcomeDown)
	if !st.WentDown || st.Open == nil || !st.Open.StartedAt.Equal(at(1)) || !s.StateSince.Equal(at(1)) {
		t.Fatalf("down: %+v", st)
	}
	st = step(4, OutcomeUnknown)
	if !st.Recovered || st.CloseAt == nil || !st.CloseAt.Equal(at(4)) || st.Open == nil || st.Open.State != StateUnknown {
		t.Fatalf("unknown: %+v", st)
	}
	step(5, OutcomeDown)
	if s.State != StateUnknown || s.FailStreak != 1 {
		t.Fatalf("one failure after unknown: %+v", s)
	}
	st = step(6, OutcomeMaintenance)
	if s.State != StateMaintenance || st.CloseAt == nil || s.FailStreak != 0 {
		t.Fatalf("maintenance: %+v", st)
	}
}
