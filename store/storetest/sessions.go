package storetest

import (
	"time"

	"github.com/assay-platform/assay"
)

var sessionTests = []subtest{
	{"Sessions", testSessions},
	{"SessionExpiry", testSessionExpiry},
	{"SessionOfAnotherOrganization", testSessionWrongOrg},
	{"DeleteExpiredSessions", testDeleteExpiredSessions},
}

func testSessions(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	want := assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "csrf-token", CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(8 * time.Hour)}
	check(t, e.Store.CreateSession(e.Ctx, "session-hash", want), "create session")
	got, s, err := e.Store.UserBySession(e.Ctx, "session-hash")
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, got, u, "session's user")
	jsonEq(t, s, want, "session")
	_, _, err = e.Store.UserBySession(e.Ctx, "another-hash")
	wantCode(t, err, assay.EUNAUTHORIZED, "unknown session")
	_, _, err = e.Store.UserBySession(e.Ctx, "")
	wantCode(t, err, assay.EUNAUTHORIZED, "empty session")

	check(t, e.Store.DeleteSession(e.Ctx, "session-hash"), "delete session")
	_, _, err = e.Store.UserBySession(e.Ctx, "session-hash")
	wantCode(t, err, assay.EUNAUTHORIZED, "deleted session")
	check(t, e.Store.DeleteSession(e.Ctx, "session-hash"), "deleting a deleted session")
	// The same hash cannot be stored twice.
	e.session(u, "dup")
	if err := e.Store.CreateSession(e.Ctx, "dup", want); err == nil {
		t.Fatal("a session hash was stored twice")
	}
}

func testSessionExpiry(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	e.session(u, "s") // an hour
	e.Clock.Advance(59*time.Minute + 59*time.Second)
	if _, _, err := e.Store.UserBySession(e.Ctx, "s"); err != nil {
		t.Fatalf("session a second before expiry: %v", err)
	}
	e.Clock.Advance(time.Second)
	_, _, err := e.Store.UserBySession(e.Ctx, "s")
	wantCode(t, err, assay.EUNAUTHORIZED, "session at its expiry")
	e.Clock.Advance(time.Hour)
	_, _, err = e.Store.UserBySession(e.Ctx, "s")
	wantCode(t, err, assay.EUNAUTHORIZED, "session after its expiry")
}

func testSessionWrongOrg(e *Env) {
	_, a := e.Org("alpha")
	_, b := e.Org("beta")
	u := e.User(a, "ann@example.com", assay.RoleAdmin)
	check(e.T, e.Store.CreateSession(e.Ctx, "s", assay.Session{UserID: u.ID, OrgID: b.OrgID(), CSRFToken: "c",
		CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}), "create session")
	_, _, err := e.Store.UserBySession(e.Ctx, "s")
	wantCode(e.T, err, assay.EUNAUTHORIZED, "session naming another organisation than its user's")
}

func testDeleteExpiredSessions(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	for i, h := range []string{"one", "two", "three"} {
		check(t, e.Store.CreateSession(e.Ctx, h, assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "c",
			CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Duration(i+1) * time.Hour)}), "create session")
	}
	if n := must(e.Store.DeleteExpiredSessions(e.Ctx)).get(t); n != 0 {
		t.Fatalf("deleted %d live sessions", n)
	}
	e.Clock.Advance(2 * time.Hour) // "two" expires exactly now
	if n := must(e.Store.DeleteExpiredSessions(e.Ctx)).get(t); n != 2 {
		t.Fatalf("DeleteExpiredSessions = %d, want 2", n)
	}
	if n := must(e.Store.DeleteExpiredSessions(e.Ctx)).get(t); n != 0 {
		t.Fatalf("second DeleteExpiredSessions = %d, want 0", n)
	}
	if _, _, err := e.Store.UserBySession(e.Ctx, "three"); err != nil {
		t.Fatalf("live session was deleted: %v", err)
	}
	// The expired ones are gone, not only refused: winding the clock back
	// does not revive them.
	e.Clock.Advance(-2 * time.Hour)
	_, _, err := e.Store.UserBySession(e.Ctx, "one")
	wantCode(t, err, assay.EUNAUTHORIZED, "deleted expired session")
}
