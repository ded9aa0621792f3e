package assay_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

func TestSignInPolicyDelays(t *testing.T) {
	p := assay.DefaultSignInPolicy
	for failures, want := range map[int]time.Duration{0: 0, 4: 0, 5: time.Second, 6: 2 * time.Second, 7: 4 * time.Second,
		14: 512 * time.Second, 15: 15 * time.Minute, 40: 15 * time.Minute, 1000: 15 * time.Minute} {
		if got := p.Delay(failures); got != want {
			t.Errorf("Delay(%d) = %v, want %v", failures, got, want)
		}
	}
}

func TestSignInPolicyJudge(t *testing.T) {
	p := assay.DefaultSignInPolicy
	now := time.Date(2026, 3, 2, 9, 30, 20, 0, time.UTC)
	for name, c := range map[string]struct {
		st   assay.SignInState
		want assay.SignInVerdict
	}{
		"fresh":                        {assay.SignInState{}, assay.SignInVerdict{}},
		"four failures":                {assay.SignInState{Failures: 4, FailedAt: now}, assay.SignInVerdict{}},
		"five, just now":               {assay.SignInState{Failures: 5, FailedAt: now}, assay.SignInVerdict{Wait: time.Second}},
		"five, a second ago":           {assay.SignInState{Failures: 5, FailedAt: now.Add(-time.Second)}, assay.SignInVerdict{}},
		"seven, 3s ago":                {assay.SignInState{Failures: 7, FailedAt: now.Add(-3 * time.Second)}, assay.SignInVerdict{Wait: time.Second}},
		"many, forgotten after a day":  {assay.SignInState{Failures: 50, FailedAt: now.Add(-24 * time.Hour)}, assay.SignInVerdict{}},
		"global ceiling, unknown pair": {assay.SignInState{MinuteFailures: 300}, assay.SignInVerdict{Wait: 40 * time.Second, Global: true}},
		"global ceiling, known pair":   {assay.SignInState{MinuteFailures: 300, SucceededAt: now.AddDate(0, -1, 0)}, assay.SignInVerdict{}},
		"global ceiling, long unknown": {assay.SignInState{MinuteFailures: 300, SucceededAt: now.AddDate(0, -4, 0)}, assay.SignInVerdict{Wait: 40 * time.Second, Global: true}},
		"under the ceiling":            {assay.SignInState{MinuteFailures: 299}, assay.SignInVerdict{}},
	} {
		if got := p.Judge(c.st, now); got != c.want {
			t.Errorf("%s: %+v, want %+v", name, got, c.want)
		}
	}
}
