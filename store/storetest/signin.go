package storetest

import (
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
)

var signinTests = []subtest{
	{"SignInFailuresPerPair", testSignInFailuresPerPair},
	{"SignInFailuresForgotten", testSignInFailuresForgotten},
	{"SignInMinuteAcrossPairs", testSignInMinuteAcrossPairs},
	{"SignInThrottledNotedOncePerFailure", testSignInThrottledNoted},
	{"SignInFailuresConcurrent", testSignInFailuresConcurrent},
}

func pairHash(name string) string { return strings.Repeat("0", 64-len(name)) + name }

func testSignInFailuresPerPair(e *Env) {
	t := e.T
	a, b := pairHash("a"), pairHash("b")
	st := must(e.Store.SignInState(e.Ctx, a)).get(t)
	if st != (assay.SignInState{}) {
		t.Fatalf("unknown pair: %+v", st)
	}
	for i := 1; i <= 3; i++ {
		e.Clock.Advance(time.Second)
		st = must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t)
		if st.Failures != i || !st.FailedAt.Equal(e.Clock.Now()) || st.MinuteFailures == 0 {
			t.Fatalf("after failure %d: %+v", i, st)
		}
	}
	if got := must(e.Store.SignInState(e.Ctx, b)).get(t); got.Failures != 0 || !got.FailedAt.IsZero() {
		t.Fatalf("another pair carries a's failures: %+v", got)
	}
	if got := must(e.Store.SignInState(e.Ctx, a)).get(t); got.Failures != 3 {
		t.Fatalf("a read back: %+v", got)
	}
	e.Clock.Advance(time.Second)
	check(t, e.Store.RecordSignInSuccess(e.Ctx, a), "success")
	got := must(e.Store.SignInState(e.Ctx, a)).get(t)
	if got.Failures != 0 || !got.FailedAt.IsZero() || !got.SucceededAt.Equal(e.Clock.Now()) {
		t.Fatalf("after success: %+v", got)
	}
	// A known pair that fails again stays known.
	got = must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t)
	if got.Failures != 1 || got.SucceededAt.IsZero() {
		t.Fatalf("a known pair's failure: %+v", got)
	}
}

func testSignInFailuresForgotten(e *Env) {
	t := e.T
	a := pairHash("a")
	for range 4 {
		must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t)
	}
	e.Clock.Advance(59 * time.Minute)
	if st := must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t); st.Failures != 5 {
		t.Fatalf("within the hour: %+v", st)
	}
	e.Clock.Advance(time.Hour)
	if st := must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t); st.Failures != 1 {
		t.Fatalf("an hour after the last failure the count restarts: %+v", st)
	}
}

func testSignInMinuteAcrossPairs(e *Env) {
	t := e.T
	e.Clock.T = e.Clock.T.Truncate(time.Minute)
	for i := range 5 {
		must(e.Store.RecordSignInFailure(e.Ctx, pairHash(string(rune('a'+i))), time.Hour)).get(t)
	}
	if st := must(e.Store.SignInState(e.Ctx, pairHash("z"))).get(t); st.MinuteFailures != 5 {
		t.Fatalf("failures this minute, seen from a fresh pair: %+v", st)
	}
	e.Clock.Advance(time.Minute)
	if st := must(e.Store.SignInState(e.Ctx, pairHash("z"))).get(t); st.MinuteFailures != 0 {
		t.Fatalf("the next minute starts at 0: %+v", st)
	}
	// Pairs that never signed in go once their failures are forgotten;
	// known pairs stay known for months.
	check(t, e.Store.RecordSignInSuccess(e.Ctx, pairHash("b")), "success")
	e.Clock.Advance(2 * time.Hour)
	must(e.Store.RecordSignInFailure(e.Ctx, pairHash("y"), time.Hour)).get(t)
	if st := must(e.Store.SignInState(e.Ctx, pairHash("a"))).get(t); st.Failures != 0 || !st.FailedAt.IsZero() {
		t.Fatalf("a pair whose failures are forgotten is still there: %+v", st)
	}
	if st := must(e.Store.SignInState(e.Ctx, pairHash("b"))).get(t); st.SucceededAt.IsZero() {
		t.Fatalf("a known pair was pruned: %+v", st)
	}
	e.Clock.Advance(365 * 24 * time.Hour)
	must(e.Store.RecordSignInFailure(e.Ctx, pairHash("y"), time.Hour)).get(t)
	if st := must(e.Store.SignInState(e.Ctx, pairHash("b"))).get(t); !st.SucceededAt.IsZero() {
		t.Fatalf("a pair idle for a year is still there: %+v", st)
	}
}

func testSignInThrottledNoted(e *Env) {
	t := e.T
	a := pairHash("a")
	if first := must(e.Store.NoteSignInThrottled(e.Ctx, a)).get(t); first {
		t.Fatal("a pair without failures noted as throttled")
	}
	must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t)
	e.Clock.Advance(time.Second)
	if first := must(e.Store.NoteSignInThrottled(e.Ctx, a)).get(t); !first {
		t.Fatal("first refusal after a failure not noted")
	}
	e.Clock.Advance(time.Second)
	if first := must(e.Store.NoteSignInThrottled(e.Ctx, a)).get(t); first {
		t.Fatal("second refusal after the same failure noted again")
	}
	e.Clock.Advance(time.Second)
	must(e.Store.RecordSignInFailure(e.Ctx, a, time.Hour)).get(t)
	e.Clock.Advance(time.Second)
	if first := must(e.Store.NoteSignInThrottled(e.Ctx, a)).get(t); !first {
		t.Fatal("refusal after a new failure not noted")
	}
}

// Failures recorded at once from many goroutines (instances) all count.
func testSignInFailuresConcurrent(e *Env) {
	t := e.T
	e.Clock.T = e.Clock.T.Truncate(time.Minute)
	a := pairHash("a")
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := e.Store.RecordSignInFailure(e.Ctx, a, time.Hour); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if st := must(e.Store.SignInState(e.Ctx, a)).get(t); st.Failures != 20 || st.MinuteFailures != 20 {
		t.Fatalf("after 20 concurrent failures: %+v", st)
	}
}

var securityEventTests = []subtest{
	{"SecurityEventsInTheTrail", testSecurityEvents},
	{"SecurityEventTokenNewAddress", testSecurityEventTokenAddress},
}

func testSecurityEvents(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	_, other := e.Org("other")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	e.Clock.Advance(time.Hour)
	check(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventSignInFailed, UserID: u.ID, Via: "web", Addr: "203.0.113.9"}), "failure")
	check(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventSignInThrottled, UserID: u.ID, Via: "web", Addr: "203.0.113.9", Detail: "wait 4s"}), "throttled")
	check(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventSignIn, UserID: u.ID, Via: "web", Addr: "198.51.100.7"}), "success")
	if got := must(os.User(e.Ctx, u.ID)).get(t); got.LastLoginAt == nil || !got.LastLoginAt.Equal(e.Clock.Now()) {
		t.Fatalf("last sign-in not set: %+v", got)
	}
	acts := e.Activity(os)
	want := []struct{ action, actor, summary string }{
		{assay.EventSignIn, "ann@example.com", "signed in from 198.51.100.7"},
		{assay.EventSignInThrottled, "unknown from 203.0.113.9", "refused: too many failures (wait 4s)"},
		{assay.EventSignInFailed, "unknown from 203.0.113.9", "Failed sign-in as ann@example.com from 203.0.113.9"},
	}
	for i, w := range want {
		a := acts[i]
		if a.Action != w.action || a.Actor.Name != w.actor || !strings.Contains(a.Summary, w.summary) || a.ObjectID != itoa(u.ID) {
			t.Errorf("entry %d = %s by %q: %q, want %s by %q: …%q…", i, a.Action, a.Actor.Name, a.Summary, w.action, w.actor, w.summary)
		}
		if !strings.Contains(string(a.After), "addr") {
			t.Errorf("entry %d records no address: %s", i, a.After)
		}
	}
	// The trail can be narrowed to them.
	if got := must(os.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventSignInFailed})).get(t); len(got) != 1 {
		t.Fatalf("filtered by action: %d entries", len(got))
	}
	if got := must(os.Activity(e.Ctx, assay.ActivityFilter{Actor: "unknown"})).get(t); len(got) != 2 {
		t.Fatalf("filtered by actor: %d entries", len(got))
	}
	wantCode(t, other.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventSignInFailed, UserID: u.ID, Via: "web"}), assay.ENOTFOUND, "another organisation's user")
	wantCode(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: "user.nonsense", UserID: u.ID, Via: "web"}), assay.EINVALID, "unknown action")
}

func testSecurityEventTokenAddress(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	tok := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "ci", Prefix: "asy_1"}, "token-hash-1")).get(t)
	use := func(addr string) {
		t.Helper()
		check(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventTokenNewAddress, UserID: u.ID, TokenID: tok.ID, Via: "api", Addr: addr}), "token use")
	}
	count := func() int {
		return len(must(os.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventTokenNewAddress})).get(t))
	}
	use("203.0.113.9")
	use("203.0.113.9")
	if n := count(); n != 0 {
		t.Fatalf("first use recorded %d times, want none (its creation is in the trail)", n)
	}
	if _, got, err := e.Store.UserByAPIToken(e.Ctx, "token-hash-1"); err != nil || got.LastUsedAddr != "203.0.113.9" {
		t.Fatalf("token's last address %q", got.LastUsedAddr)
	}
	use("198.51.100.7")
	use("198.51.100.7")
	if n := count(); n != 1 {
		t.Fatalf("a new address: %d entries", n)
	}
	a := e.Activity(os)[0]
	if a.ObjectType != "api_token" || a.ObjectID != itoa(tok.ID) || !strings.Contains(a.Summary, "last used from 203.0.113.9") {
		t.Fatalf("entry %+v", a)
	}
	check(t, os.RevokeAPIToken(e.Ctx, Actor, tok.ID), "revoke")
	wantCode(t, os.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventTokenNewAddress, UserID: u.ID, TokenID: tok.ID, Via: "api", Addr: "192.0.2.1"}), assay.ENOTFOUND, "revoked token")
}

var ownSessionTests = []subtest{
	{"SessionsListedAndEnded", testSessionsListedAndEnded},
}

func testSessionsListedAndEnded(e *Env) {
	t := e.T
	org, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	v := e.User(os, "bob@example.com", assay.RoleMember)
	now := e.Clock.Now()
	mk := func(hash string, user assay.User, created time.Time, ttl time.Duration) {
		t.Helper()
		check(t, e.Store.CreateSession(e.Ctx, hash, assay.Session{UserID: user.ID, OrgID: org.ID, CSRFToken: "c", CreatedAt: created, ExpiresAt: created.Add(ttl)}), "create session")
	}
	h1, h2, h3, h4 := strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64), strings.Repeat("d", 64)
	mk(h1, u, now.Add(-2*time.Hour), 12*time.Hour)
	mk(h2, u, now.Add(-time.Hour), 12*time.Hour)
	mk(h3, u, now.Add(-13*time.Hour), 12*time.Hour) // expired
	mk(h4, v, now, 12*time.Hour)                    // someone else's
	got := must(os.Sessions(e.Ctx, u.ID)).get(t)
	if len(got) != 2 || got[0].ID != h2[:assay.SessionIDLen] || got[1].ID != h1[:assay.SessionIDLen] || !got[1].CreatedAt.Equal(now.Add(-2*time.Hour)) {
		t.Fatalf("sessions: %+v", got)
	}
	actor := assay.ActorFor(u, "web")
	wantCode(t, os.EndSession(e.Ctx, actor, u.ID, h4[:assay.SessionIDLen]), assay.ENOTFOUND, "another user's session")
	wantCode(t, os.EndSession(e.Ctx, actor, u.ID, "%"), assay.ENOTFOUND, "a pattern")
	wantCode(t, os.EndSession(e.Ctx, actor, u.ID, strings.Repeat("_", assay.SessionIDLen)), assay.ENOTFOUND, "a pattern of the right length")
	check(t, os.EndSession(e.Ctx, actor, u.ID, h1[:assay.SessionIDLen]), "end a session")
	if _, _, err := e.Store.UserBySession(e.Ctx, h1); assay.ErrorCode(err) != assay.EUNAUTHORIZED {
		t.Fatalf("the ended session still works: %v", err)
	}
	if _, _, err := e.Store.UserBySession(e.Ctx, h2); err != nil {
		t.Fatalf("the other session ended too: %v", err)
	}
	if a := e.Activity(os)[0]; a.Action != "user.session_end" || a.Actor.UserID != u.ID {
		t.Fatalf("entry %+v", a)
	}
	_, other := e.Org("other")
	wantCode(t, other.EndSession(e.Ctx, actor, u.ID, h2[:assay.SessionIDLen]), assay.ENOTFOUND, "from another organisation")
}
