package storetest

import (
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var tenancyTests = []subtest{
	{"TenancyControls", testTenancyControls},
	{"TenancyActivity", testTenancyActivity},
	{"TenancyUsers", testTenancyUsers},
	{"TenancyAPITokens", testTenancyAPITokens},
}

// tenants is two organisations, A with some state of its own, and B.
type tenants struct {
	a, b       store.OrgStore
	aAdmin     assay.User
	aMember    assay.User
	bAdmin     assay.User
	aTokenID   int64
	aTokenHash string
}

func twoTenants(e *Env) tenants {
	e.T.Helper()
	var tn tenants
	_, tn.a = e.Org("alpha", "privacy")
	_, tn.b = e.Org("beta")
	tn.aAdmin = e.User(tn.a, "admin@alpha.example", assay.RoleAdmin)
	tn.aMember = e.User(tn.a, "member@alpha.example", assay.RoleMember)
	tn.bAdmin = e.User(tn.b, "admin@beta.example", assay.RoleAdmin)
	c := assay.NewCustomControl("CUS-A", "Alpha's own control", "Only alpha has this.", []string{"CC6.1"})
	c.OwnerID = tn.aMember.ID
	must(tn.a.CreateControl(e.Ctx, Actor, c)).get(e.T)
	e.Update(tn.a, "AC-01", assay.ControlPatch{Notes: ptr("alpha secret"), OwnerID: &tn.aMember.ID})
	tn.aTokenHash = "token-hash-alpha"
	tn.aTokenID = must(tn.a.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: tn.aAdmin.ID, Name: "alpha ci", Prefix: "asy_a"}, tn.aTokenHash)).get(e.T).ID
	check(e.T, e.Store.CreateSession(e.Ctx, "session-alpha", assay.Session{UserID: tn.aAdmin.ID, OrgID: tn.aAdmin.OrgID,
		CSRFToken: "csrf", CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}), "create session")
	return tn
}

func testTenancyControls(e *Env) {
	t := e.T
	tn := twoTenants(e)
	alphaCus := e.Control(tn.a, "CUS-A")
	alphaAC := e.Control(tn.a, "AC-01")

	_, err := tn.b.Control(e.Ctx, "CUS-A")
	wantCode(t, err, assay.ENOTFOUND, "B reads A's custom control")
	wantIDs(t, e.ControlIDs(tn.b, assay.ControlFilter{}), LibraryIDs, "B's controls")
	wantIDs(t, e.ControlIDs(tn.b, assay.ControlFilter{Query: "alpha"}), []string{}, "B searches for A's text")
	wantIDs(t, e.ControlIDs(tn.b, assay.ControlFilter{Criterion: "CC6.1"}), []string{"AC-01", "AC-02"}, "B's CC6.1")
	wantIDs(t, e.ControlIDs(tn.b, assay.ControlFilter{OwnerID: tn.aMember.ID}), []string{}, "B filters by A's owner")
	wantIDs(t, e.ControlIDs(tn.b, assay.ControlFilter{OwnerID: -1}), LibraryIDs, "B's unowned")
	if c := e.Control(tn.b, "AC-01"); c.Notes != "" || c.OwnerID != 0 || c.OwnerName != "" {
		t.Fatalf("B's AC-01 shows A's state: %+v", c)
	}

	_, err = tn.b.UpdateControl(e.Ctx, Actor, "CUS-A", assay.ControlPatch{Notes: ptr("from beta"), Status: ptr(assay.StatusImplemented)})
	wantCode(t, err, assay.ENOTFOUND, "B updates A's custom control")
	jsonEq(t, e.Control(tn.a, "CUS-A"), alphaCus, "A's custom control after B's update")

	e.Update(tn.b, "AC-01", assay.ControlPatch{Notes: ptr("beta notes"), Status: ptr(assay.StatusImplemented)})
	jsonEq(t, e.Control(tn.a, "AC-01"), alphaAC, "A's AC-01 after B updated its own")
	wantIDs(t, e.ControlIDs(tn.a, assay.ControlFilter{Status: assay.StatusImplemented}), []string{}, "A's implemented controls")

	// The same custom id may exist in both organisations, independently.
	mine := must(tn.b.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-A", "Beta's control", "", []string{"A1.1"}))).get(t)
	if mine.Name != "Beta's control" {
		t.Fatalf("B's CUS-A = %+v", mine)
	}
	jsonEq(t, e.Control(tn.a, "CUS-A"), alphaCus, "A's custom control after B made one with its id")
	wantIDs(t, e.Control(tn.b, "CUS-A").Criteria, []string{"A1.1"}, "B's CUS-A criteria")

	// B cannot give its controls to A's people.
	_, err = tn.b.UpdateControl(e.Ctx, Actor, "AC-02", assay.ControlPatch{OwnerID: &tn.aMember.ID})
	wantCode(t, err, assay.EINVALID, "B assigns A's user")
}

func testTenancyActivity(e *Env) {
	t := e.T
	tn := twoTenants(e)
	e.Update(tn.b, "AC-02", assay.ControlPatch{Notes: ptr("beta")})
	alpha := e.Activity(tn.a)
	beta := e.Activity(tn.b)
	// beta: organisation, adoption, its admin, one update.
	if len(beta) != 4 {
		t.Fatalf("B's activity has %d entries, want 4: %s", len(beta), sprint(beta))
	}
	for _, a := range beta {
		if a.OrgID != tn.b.OrgID() || a.ObjectID == "CUS-A" || a.ObjectID == "alpha" {
			t.Fatalf("B sees an entry of A: %+v", a)
		}
	}
	for _, a := range alpha {
		if a.OrgID != tn.a.OrgID() {
			t.Fatalf("A sees an entry of B: %+v", a)
		}
	}
	got := must(tn.b.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "control", ObjectID: "CUS-A"})).get(t)
	if len(got) != 0 {
		t.Fatalf("B's filter on A's object returns %s", sprint(got))
	}
	got = must(tn.b.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "control", ObjectID: "AC-01"})).get(t)
	if len(got) != 0 {
		t.Fatalf("B's filter on AC-01 returns A's entries: %s", sprint(got))
	}
	// Paging back from beyond A's newest entry still shows only B's.
	got = must(tn.b.Activity(e.Ctx, assay.ActivityFilter{BeforeSeq: alpha[0].Seq + 1000})).get(t)
	if len(got) != len(beta) {
		t.Fatalf("B paging from a high seq sees %d entries, want %d", len(got), len(beta))
	}
}

func testTenancyUsers(e *Env) {
	t := e.T
	tn := twoTenants(e)
	aAdmin := must(tn.a.User(e.Ctx, tn.aAdmin.ID)).get(t)
	alphaEntries := len(e.Activity(tn.a))
	betaEntries := len(e.Activity(tn.b))

	users := must(tn.b.Users(e.Ctx)).get(t)
	if len(users) != 1 || users[0].ID != tn.bAdmin.ID {
		t.Fatalf("B's users = %+v", users)
	}
	for _, id := range []int64{tn.aAdmin.ID, tn.aMember.ID} {
		_, err := tn.b.User(e.Ctx, id)
		wantCode(t, err, assay.ENOTFOUND, fmt.Sprintf("B reads A's user %d", id))
	}
	_, err := tn.b.UpdateUserRole(e.Ctx, Actor, tn.aAdmin.ID, assay.RoleViewer)
	wantCode(t, err, assay.ENOTFOUND, "B changes the role of A's user")
	_, err = tn.b.SetUserDisabled(e.Ctx, Actor, tn.aAdmin.ID, true)
	wantCode(t, err, assay.ENOTFOUND, "B disables A's user")
	err = tn.b.SetPassword(e.Ctx, Actor, tn.aAdmin.ID, "hash-set-by-beta")
	wantCode(t, err, assay.ENOTFOUND, "B sets the password of A's user")
	err = tn.b.RecordLogin(e.Ctx, tn.aAdmin.ID, "web")
	wantCode(t, err, assay.ENOTFOUND, "B records a login of A's user")

	jsonEq(t, must(tn.a.User(e.Ctx, tn.aAdmin.ID)).get(t), aAdmin, "A's admin after B's attempts")
	if _, hash, err := e.Store.UserByEmail(e.Ctx, "admin@alpha.example"); err != nil || hash != "hash-of-admin@alpha.example" {
		t.Fatalf("A's admin's hash = %q, %v", hash, err)
	}
	if _, _, err := e.Store.UserBySession(e.Ctx, "session-alpha"); err != nil {
		t.Fatalf("A's admin's session ended by B's attempts: %v", err)
	}
	if n := len(e.Activity(tn.a)); n != alphaEntries {
		t.Fatalf("B's attempts wrote %d entries to A's trail", n-alphaEntries)
	}
	if n := len(e.Activity(tn.b)); n != betaEntries {
		t.Fatalf("B's refused attempts wrote %d entries to B's trail", n-betaEntries)
	}
}

func testTenancyAPITokens(e *Env) {
	t := e.T
	tn := twoTenants(e)
	_, err := tn.b.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: tn.aAdmin.ID, Name: "stolen", Prefix: "asy_b"}, "token-hash-stolen")
	wantCode(t, err, assay.ENOTFOUND, "B creates a token for A's user")
	_, _, err = e.Store.UserByAPIToken(e.Ctx, "token-hash-stolen")
	wantCode(t, err, assay.EUNAUTHORIZED, "the refused token")

	if toks := must(tn.b.APITokens(e.Ctx)).get(t); len(toks) != 0 {
		t.Fatalf("B lists tokens: %+v", toks)
	}
	err = tn.b.RevokeAPIToken(e.Ctx, Actor, tn.aTokenID)
	wantCode(t, err, assay.ENOTFOUND, "B revokes A's token")
	u, tok, err := e.Store.UserByAPIToken(e.Ctx, tn.aTokenHash)
	if err != nil || u.ID != tn.aAdmin.ID || tok.ID != tn.aTokenID {
		t.Fatalf("A's token after B's revoke = %+v %+v %v", u, tok, err)
	}
	if toks := must(tn.a.APITokens(e.Ctx)).get(t); len(toks) != 1 || toks[0].ID != tn.aTokenID {
		t.Fatalf("A's tokens = %+v", toks)
	}
	// B's own token works and belongs to B.
	must(tn.b.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: tn.bAdmin.ID, Name: "beta ci", Prefix: "asy_b"}, "token-hash-beta")).get(t)
	if u, _, err := e.Store.UserByAPIToken(e.Ctx, "token-hash-beta"); err != nil || u.OrgID != tn.b.OrgID() {
		t.Fatalf("B's token = %+v, %v", u, err)
	}
	if toks := must(tn.a.APITokens(e.Ctx)).get(t); len(toks) != 1 {
		t.Fatalf("A lists B's token: %+v", toks)
	}
}
