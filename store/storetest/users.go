package storetest

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var userTests = []subtest{
	{"CreateUser", testCreateUser},
	{"CreateUserDuplicateEmail", testCreateUserDuplicate},
	{"CreateUserInvalid", testCreateUserInvalid},
	{"UpdateUserRole", testUpdateUserRole},
	{"LastAdminKeepsRole", testLastAdmin},
	{"DisablingEndsSessions", testDisablingEndsSessions},
	{"SetPasswordEndsSessionsAndHidesHash", testSetPassword},
	{"RecordLogin", testRecordLogin},
}

const password = "correct horse battery"

// session signs u in with a session keyed by hash that lasts an hour.
func (e *Env) session(u assay.User, hash string) {
	e.T.Helper()
	check(e.T, e.Store.CreateSession(e.Ctx, hash, assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "csrf-" + hash,
		CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}), "create session")
}

func testCreateUser(e *Env) {
	t := e.T
	org, os := e.Org("acme")
	if n := must(e.Store.CountUsers(e.Ctx)).get(t); n != 0 {
		t.Fatalf("CountUsers on a new store = %d", n)
	}
	e.Clock.Advance(time.Minute)
	u, err := os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: "  Zoe.Admin@Example.COM ", Name: " Zoe ", Role: assay.RoleAdmin, Password: password}, "$argon2id$zoe-secret-hash")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID <= 0 || u.OrgID != org.ID || u.Email != "zoe.admin@example.com" || u.Name != "Zoe" || u.Role != assay.RoleAdmin ||
		u.Disabled || !u.CreatedAt.Equal(e.Clock.Now()) || u.LastLoginAt != nil {
		t.Fatalf("created user = %+v", u)
	}
	jsonEq(t, must(os.User(e.Ctx, u.ID)).get(t), u, "User(id)")
	got, hash, err := e.Store.UserByEmail(e.Ctx, "zoe.admin@example.com")
	if err != nil || hash != "$argon2id$zoe-secret-hash" {
		t.Fatalf("UserByEmail = %q, %v", hash, err)
	}
	jsonEq(t, got, u, "UserByEmail")
	_, _, err = e.Store.UserByEmail(e.Ctx, "nobody@example.com")
	wantCode(t, err, assay.ENOTFOUND, "UserByEmail of an unknown address")

	// The name defaults to the email; users list by name ("Zoe" sorts
	// before "zz..." whatever the collation).
	zz := must(os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: "zz@example.com", Role: assay.RoleViewer, Password: password}, "h2")).get(t)
	if zz.Name != "zz@example.com" {
		t.Fatalf("default name = %q", zz.Name)
	}
	mid := must(os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: "m@example.com", Name: "Mia", Role: assay.RoleViewer, Password: password}, "h3")).get(t)
	users := must(os.Users(e.Ctx)).get(t)
	if len(users) != 3 || users[0].ID != mid.ID || users[1].ID != u.ID || users[2].ID != zz.ID {
		t.Fatalf("users = %+v", users)
	}
	if n := must(e.Store.CountUsers(e.Ctx)).get(t); n != 3 {
		t.Fatalf("CountUsers = %d", n)
	}

	acts := e.Activity(os)
	if acts[2].Action != "user.create" || acts[2].ObjectType != "user" || acts[2].ObjectID != itoa(u.ID) {
		t.Fatalf("entry = %+v", acts[2])
	}
	var after assay.User
	if err := json.Unmarshal(acts[2].After, &after); err != nil || after.Email != u.Email {
		t.Fatalf("entry's after = %s, %v", acts[2].After, err)
	}
	wantNoSecret(e, os, "zoe-secret-hash")
}

// wantNoSecret fails when s appears anywhere in the organisation's trail.
func wantNoSecret(e *Env, os store.OrgStore, s string) {
	e.T.Helper()
	for _, a := range e.Activity(os) {
		if strings.Contains(string(a.Before), s) || strings.Contains(string(a.After), s) || strings.Contains(a.Summary, s) {
			e.T.Fatalf("activity entry %d (%s) contains a secret: %+v", a.Seq, a.Action, a)
		}
	}
}

func testCreateUserDuplicate(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	_, other := e.Org("other")
	first := e.User(os, "ann@example.com", assay.RoleAdmin)
	entries, otherEntries := len(e.Activity(os)), len(e.Activity(other))
	for _, c := range []struct {
		os    store.OrgStore
		email string
	}{{os, "ann@example.com"}, {os, " ANN@Example.com"}, {other, "ann@example.com"}} {
		_, err := c.os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: c.email, Role: assay.RoleMember, Password: password}, "other-hash")
		wantCode(t, err, assay.ECONFLICT, "duplicate "+c.email)
	}
	if n := must(e.Store.CountUsers(e.Ctx)).get(t); n != 1 {
		t.Fatalf("CountUsers = %d", n)
	}
	u, hash, err := e.Store.UserByEmail(e.Ctx, "ann@example.com")
	if err != nil || hash != "hash-of-ann@example.com" || u.ID != first.ID || u.Role != assay.RoleAdmin {
		t.Fatalf("first user after duplicates = %+v %q %v", u, hash, err)
	}
	if len(e.Activity(os)) != entries || len(e.Activity(other)) != otherEntries {
		t.Fatal("refused duplicates wrote activity")
	}
}

func testCreateUserInvalid(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	entries := len(e.Activity(os))
	for name, n := range map[string]assay.NewUser{
		"no email":        {Role: assay.RoleMember, Password: password},
		"not an email":    {Email: "not-an-email", Role: assay.RoleMember, Password: password},
		"display name":    {Email: "Ann <ann@example.com>", Role: assay.RoleMember, Password: password},
		"two addresses":   {Email: "a@example.com, b@example.com", Role: assay.RoleMember, Password: password},
		"short password":  {Email: "ann@example.com", Role: assay.RoleMember, Password: "short"},
		"11 characters":   {Email: "ann@example.com", Role: assay.RoleMember, Password: strings.Repeat("p", assay.MinPasswordLen-1)},
		"unknown role":    {Email: "ann@example.com", Role: "owner", Password: password},
		"no role":         {Email: "ann@example.com", Password: password},
		"name too long":   {Email: "ann@example.com", Name: strings.Repeat("n", assay.MaxNameLen+1), Role: assay.RoleMember, Password: password},
		"password 1025ch": {Email: "ann@example.com", Role: assay.RoleMember, Password: strings.Repeat("p", 1025)},
	} {
		_, err := os.CreateUser(e.Ctx, Actor, n, "hash")
		wantCode(t, err, assay.EINVALID, name)
	}
	if n := must(e.Store.CountUsers(e.Ctx)).get(t); n != 0 {
		t.Fatalf("refused users were written: %d", n)
	}
	if len(e.Activity(os)) != entries {
		t.Fatal("refused users wrote activity")
	}
}

func testUpdateUserRole(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.User(os, "admin@example.com", assay.RoleAdmin)
	m := e.User(os, "m@example.com", assay.RoleMember)
	got := must(os.UpdateUserRole(e.Ctx, Actor, m.ID, assay.RoleAuditor)).get(t)
	if got.Role != assay.RoleAuditor || must(os.User(e.Ctx, m.ID)).get(t).Role != assay.RoleAuditor {
		t.Fatalf("role = %q", got.Role)
	}
	a := e.Activity(os)[0]
	var b, af assay.User
	if a.Action != "user.role" || json.Unmarshal(a.Before, &b) != nil || json.Unmarshal(a.After, &af) != nil ||
		b.Role != assay.RoleMember || af.Role != assay.RoleAuditor {
		t.Fatalf("entry = %+v", a)
	}
	entries := len(e.Activity(os))
	_, err := os.UpdateUserRole(e.Ctx, Actor, m.ID, "owner")
	wantCode(t, err, assay.EINVALID, "unknown role")
	_, err = os.UpdateUserRole(e.Ctx, Actor, m.ID+1000, assay.RoleViewer)
	wantCode(t, err, assay.ENOTFOUND, "unknown user")
	if must(os.User(e.Ctx, m.ID)).get(t).Role != assay.RoleAuditor || len(e.Activity(os)) != entries {
		t.Fatal("refused role changes changed something")
	}
}

func testLastAdmin(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	first := e.User(os, "first@example.com", assay.RoleAdmin)
	e.User(os, "member@example.com", assay.RoleMember)
	entries := len(e.Activity(os))
	for _, role := range []assay.Role{assay.RoleMember, assay.RoleAuditor, assay.RoleViewer} {
		_, err := os.UpdateUserRole(e.Ctx, Actor, first.ID, role)
		wantCode(t, err, assay.ECONFLICT, "demoting the last admin to "+string(role))
	}
	_, err := os.SetUserDisabled(e.Ctx, Actor, first.ID, true)
	wantCode(t, err, assay.ECONFLICT, "disabling the last admin")
	if u := must(os.User(e.Ctx, first.ID)).get(t); u.Role != assay.RoleAdmin || u.Disabled || len(e.Activity(os)) != entries {
		t.Fatalf("last admin after refusals = %+v", u)
	}
	// An admin in another organisation does not count.
	_, other := e.Org("other")
	e.User(other, "admin@other.example", assay.RoleAdmin)
	_, err = os.UpdateUserRole(e.Ctx, Actor, first.ID, assay.RoleMember)
	wantCode(t, err, assay.ECONFLICT, "demoting with an admin only in another organisation")
	// A disabled admin does not count either.
	second := e.User(os, "second@example.com", assay.RoleAdmin)
	must(os.SetUserDisabled(e.Ctx, Actor, second.ID, true)).get(t)
	_, err = os.UpdateUserRole(e.Ctx, Actor, first.ID, assay.RoleMember)
	wantCode(t, err, assay.ECONFLICT, "demoting with only a disabled second admin")
	// With a second active admin, the first may go.
	must(os.SetUserDisabled(e.Ctx, Actor, second.ID, false)).get(t)
	if u := must(os.UpdateUserRole(e.Ctx, Actor, first.ID, assay.RoleMember)).get(t); u.Role != assay.RoleMember {
		t.Fatalf("demoted = %+v", u)
	}
	_, err = os.SetUserDisabled(e.Ctx, Actor, second.ID, true)
	wantCode(t, err, assay.ECONFLICT, "disabling the new last admin")
	// Admin to admin is not a demotion.
	must(os.UpdateUserRole(e.Ctx, Actor, second.ID, assay.RoleAdmin)).get(t)
}

func testDisablingEndsSessions(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.User(os, "admin@example.com", assay.RoleAdmin)
	m := e.User(os, "m@example.com", assay.RoleMember)
	other := e.User(os, "o@example.com", assay.RoleMember)
	e.session(m, "s-m-1")
	e.session(m, "s-m-2")
	e.session(other, "s-o")
	if u, _, err := e.Store.UserBySession(e.Ctx, "s-m-1"); err != nil || u.ID != m.ID {
		t.Fatalf("session before disabling = %+v, %v", u, err)
	}
	got := must(os.SetUserDisabled(e.Ctx, Actor, m.ID, true)).get(t)
	if !got.Disabled || !must(os.User(e.Ctx, m.ID)).get(t).Disabled {
		t.Fatalf("disabled = %+v", got)
	}
	if a := e.Activity(os)[0]; a.Action != "user.disable" || a.ObjectID != itoa(m.ID) {
		t.Fatalf("entry = %+v", a)
	}
	for _, s := range []string{"s-m-1", "s-m-2"} {
		_, _, err := e.Store.UserBySession(e.Ctx, s)
		wantCode(t, err, assay.EUNAUTHORIZED, "session of a disabled user")
	}
	// A session a disabled user still has (made after disabling) is refused.
	e.session(m, "s-m-late")
	_, _, err := e.Store.UserBySession(e.Ctx, "s-m-late")
	wantCode(t, err, assay.EUNAUTHORIZED, "session made for a disabled user")
	// Enabling again does not bring the ended sessions back.
	must(os.SetUserDisabled(e.Ctx, Actor, m.ID, false)).get(t)
	if a := e.Activity(os)[0]; a.Action != "user.enable" {
		t.Fatalf("entry = %+v", a)
	}
	_, _, err = e.Store.UserBySession(e.Ctx, "s-m-1")
	wantCode(t, err, assay.EUNAUTHORIZED, "session after re-enabling")
	// Other people's sessions go on.
	if u, _, err := e.Store.UserBySession(e.Ctx, "s-o"); err != nil || u.ID != other.ID {
		t.Fatalf("other user's session = %+v, %v", u, err)
	}
}

func testSetPassword(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := must(os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: "ann@example.com", Role: assay.RoleAdmin, Password: password}, "$argon2id$first-secret")).get(t)
	other := e.User(os, "bob@example.com", assay.RoleMember)
	e.session(u, "s-ann")
	e.session(other, "s-bob")
	check(t, os.SetPassword(e.Ctx, Actor, u.ID, "$argon2id$second-secret"), "set password")
	if _, hash, err := e.Store.UserByEmail(e.Ctx, "ann@example.com"); err != nil || hash != "$argon2id$second-secret" {
		t.Fatalf("hash after SetPassword = %q, %v", hash, err)
	}
	_, _, err := e.Store.UserBySession(e.Ctx, "s-ann")
	wantCode(t, err, assay.EUNAUTHORIZED, "session after a password change")
	if _, _, err := e.Store.UserBySession(e.Ctx, "s-bob"); err != nil {
		t.Fatalf("other user's session ended: %v", err)
	}
	if a := e.Activity(os)[0]; a.Action != "user.password" || a.ObjectID != itoa(u.ID) {
		t.Fatalf("entry = %+v", a)
	}
	wantNoSecret(e, os, "first-secret")
	wantNoSecret(e, os, "second-secret")
	wantNoSecret(e, os, "hash-of-bob")
	err = os.SetPassword(e.Ctx, Actor, u.ID+1000, "x")
	wantCode(t, err, assay.ENOTFOUND, "unknown user")
}

func testRecordLogin(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	e.Clock.Advance(3 * time.Hour)
	check(t, os.RecordLogin(e.Ctx, u.ID, "web"), "record login")
	got := must(os.User(e.Ctx, u.ID)).get(t)
	if got.LastLoginAt == nil || !got.LastLoginAt.Equal(e.Clock.Now()) {
		t.Fatalf("LastLoginAt = %v, want %v", got.LastLoginAt, e.Clock.Now())
	}
	a := e.Activity(os)[0]
	if a.Action != "user.login" || a.Actor.UserID != u.ID || a.Actor.Via != "web" || !a.At.Equal(e.Clock.Now()) {
		t.Fatalf("entry = %+v", a)
	}
	wantCode(t, os.RecordLogin(e.Ctx, u.ID+1000, "web"), assay.ENOTFOUND, "unknown user")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
