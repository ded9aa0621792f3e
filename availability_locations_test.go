package assay_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

func TestCombineLocations(t *testing.T) {
	now := time.Date(2028, 2, 29, 23, 59, 0, 0, time.UTC)
	svc := assay.Service{IntervalSecs: 60, Retries: 1}
	at := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	loc := func(name string, out assay.ProbeOutcome, ago time.Duration, streak int, failAgo time.Duration) assay.LocationStatus {
		l := assay.LocationStatus{Location: name, LastOutcome: out, LastProbeAt: at(ago), FailStreak: streak}
		if streak > 0 {
			l.FailSince = at(failAgo)
		}
		return l
	}
	for _, c := range []struct {
		name  string
		locs  []assay.LocationStatus
		want  assay.ProbeOutcome
		since *time.Time
		rep   []string
	}{
		{"none reported", nil, "", nil, nil},
		{"one up is enough", []assay.LocationStatus{loc("b", assay.OutcomeDown, 0, 5, 5*time.Minute), loc("a", assay.OutcomeUp, 0, 0, 0)}, assay.OutcomeUp, nil, []string{"a", "b"}},
		{"down everywhere, confirmed", []assay.LocationStatus{loc("a", assay.OutcomeDown, 0, 2, time.Minute), loc("b", assay.OutcomeDown, 0, 4, 3*time.Minute)},
			assay.OutcomeDown, at(time.Minute), []string{"a", "b"}},
		{"one not confirmed yet", []assay.LocationStatus{loc("a", assay.OutcomeDown, 0, 1, 0), loc("b", assay.OutcomeDown, 0, 4, 3*time.Minute)}, "", nil, []string{"a", "b"}},
		{"a silent location does not count", []assay.LocationStatus{loc("a", assay.OutcomeUp, 4*time.Minute, 0, 0), loc("b", assay.OutcomeDown, 0, 2, 2*time.Minute)},
			assay.OutcomeDown, at(2 * time.Minute), []string{"b"}},
		{"unknown everywhere", []assay.LocationStatus{loc("a", assay.OutcomeUnknown, 0, 0, 0), loc("b", assay.OutcomeUnknown, 0, 0, 0)}, assay.OutcomeUnknown, nil, []string{"a", "b"}},
		{"unknown and confirmed down", []assay.LocationStatus{loc("a", assay.OutcomeUnknown, 0, 0, 0), loc("b", assay.OutcomeDown, 0, 2, time.Minute)},
			assay.OutcomeDown, at(time.Minute), []string{"a", "b"}},
		{"maintenance wins", []assay.LocationStatus{loc("a", assay.OutcomeMaintenance, 0, 0, 0), loc("b", assay.OutcomeDown, 0, 2, time.Minute)}, assay.OutcomeMaintenance, nil, []string{"a", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := assay.CombineLocations(svc, c.locs, now)
			if v.Outcome != c.want || !reflect.DeepEqual(v.Reporting, c.rep) {
				t.Fatalf("verdict = %+v, want %q from %v", v, c.want, c.rep)
			}
			if c.since != nil && !v.Since.Equal(*c.since) {
				t.Fatalf("since = %v, want %v", v.Since, *c.since)
			}
		})
	}
}

func TestLocationObserveAndNames(t *testing.T) {
	at := time.Date(2026, 12, 31, 23, 59, 30, 0, time.UTC)
	l := assay.LocationStatus{Location: "eu-west"}
	l = l.Observe(assay.ProbeResult{At: at, Outcome: assay.OutcomeDown, Error: "refused"})
	l = l.Observe(assay.ProbeResult{At: at.Add(time.Minute), Outcome: assay.OutcomeDown, Error: "refused"})
	if l.FailStreak != 2 || !l.FailSince.Equal(at) || l.LastError != "refused" {
		t.Fatalf("after two failures = %+v", l)
	}
	if l = l.Observe(assay.ProbeResult{At: at.Add(2 * time.Minute), Outcome: assay.OutcomeUp}); l.FailStreak != 0 || l.FailSince != nil {
		t.Fatalf("after recovery = %+v", l)
	}
	for name, ok := range map[string]bool{"": true, "eu-west": true, "fra1.dc_2": true, "EU": false, "-eu": false, "eu west": false, "é": false,
		"a234567890123456789012345678901234567890": true, "a2345678901234567890123456789012345678901": false} {
		if err := assay.ValidLocation(name); (err == nil) != ok {
			t.Errorf("ValidLocation(%q) = %v", name, err)
		}
	}
}
