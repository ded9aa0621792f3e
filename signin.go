package assay

import "time"

// SignInState is what the store holds about one (account, client address)
// pair of sign-in attempts, and the failures of the current minute across
// all pairs.
type SignInState struct {
	Failures       int       // failed sign-ins of the pair since it last succeeded (or was forgotten)
	FailedAt       time.Time // the pair's last failure (zero: none)
	SucceededAt    time.Time // the pair's last success (zero: never)
	MinuteFailures int       // failures in the current minute, every pair together
}

// SignInPolicy slows password guessing without locking the real owner out.
// Failures count per (account, client address) pair: after FreeFailures,
// each further attempt of the pair waits FirstDelay, doubled with every
// failure, up to MaxDelay. Another pair, the owner at their own address,
// is not slowed by an attacker's failures. Across all pairs, once
// GlobalPerMinute failures were made in a minute, only pairs that signed
// in successfully within KnownFor may try until the minute ends.
type SignInPolicy struct {
	FreeFailures    int
	FirstDelay      time.Duration
	MaxDelay        time.Duration
	Forget          time.Duration // a pair's failures are forgotten this long after its last one
	GlobalPerMinute int
	KnownFor        time.Duration
}

// DefaultSignInPolicy: five free failures, then 1s, 2s, 4s… up to 15
// minutes; failures forgotten after a day without one; 300 failures a
// minute across all pairs; a pair is known for 90 days after it signed in.
var DefaultSignInPolicy = SignInPolicy{FreeFailures: 5, FirstDelay: time.Second, MaxDelay: 15 * time.Minute,
	Forget: 24 * time.Hour, GlobalPerMinute: 300, KnownFor: 90 * 24 * time.Hour}

// SignInVerdict says whether a sign-in attempt may go ahead.
type SignInVerdict struct {
	Wait   time.Duration // how long until the pair may try again (0: now)
	Global bool          // refused by the global ceiling, not the pair's failures
}

// Allowed reports whether the attempt may go ahead.
func (v SignInVerdict) Allowed() bool { return v.Wait <= 0 }

// Judge decides an attempt of a pair in state st at now.
func (p SignInPolicy) Judge(st SignInState, now time.Time) SignInVerdict {
	failures := st.Failures
	if !st.FailedAt.IsZero() && now.Sub(st.FailedAt) >= p.Forget {
		failures = 0
	}
	if d := p.Delay(failures); d > 0 {
		if wait := st.FailedAt.Add(d).Sub(now); wait > 0 {
			return SignInVerdict{Wait: wait}
		}
	}
	known := !st.SucceededAt.IsZero() && now.Sub(st.SucceededAt) < p.KnownFor
	if p.GlobalPerMinute > 0 && st.MinuteFailures >= p.GlobalPerMinute && !known {
		return SignInVerdict{Wait: now.Truncate(time.Minute).Add(time.Minute).Sub(now), Global: true}
	}
	return SignInVerdict{}
}

// Delay is how long a pair waits after its last failure, having failed
// failures times.
func (p SignInPolicy) Delay(failures int) time.Duration {
	if failures < p.FreeFailures {
		return 0
	}
	d := p.FirstDelay
	for range failures - p.FreeFailures {
		if d >= p.MaxDelay {
			break
		}
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// Security events recorded in the activity trail (filter them by action).
const (
	EventSignIn          = "user.login"            // signed in
	EventSignInFailed    = "user.login_failed"     // a wrong password for the user's email
	EventSignInThrottled = "user.login_throttled"  // an attempt refused before the password was checked
	EventTokenNewAddress = "api_token.new_address" // an API token used from an address it was not last used from
)

// SecurityEvent is a sign-in or API token event about one user.
type SecurityEvent struct {
	Action  string // one of the Event constants
	UserID  int64
	TokenID int64  // for EventTokenNewAddress
	Via     string // web or api
	Addr    string // the client's address
	Detail  string // a plain-words detail for the summary (how long a throttled attempt must wait)
}

// SessionInfo is one of a user's signed-in browsers, as they see it in
// their account. ID is the start of the hash the session is stored under:
// it names the session without being its secret.
type SessionInfo struct {
	ID        string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// SessionIDLen is how many hex digits of a session's hash name it.
const SessionIDLen = 16
