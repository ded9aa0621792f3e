package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var scimTests = []subtest{
	{"SCIMToken", testSCIMToken},
	{"SCIMUserLifecycle", testSCIMUserLifecycle},
	{"SCIMGroupRoles", testSCIMGroupRoles},
	{"APITokenScope", testAPITokenScope},
	{"AssayAccessPopulation", testAssayAccessPopulation},
}

var scimActor = assay.SCIMActor

func testSCIMToken(e *Env) {
	t := e.T
	org, os := e.Org("acme")
	_, other := e.Org("globex")
	if _, err := os.SCIMToken(e.Ctx); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("no token yet: %v", err)
	}
	hash1 := "1111111111111111111111111111111111111111111111111111111111111111"
	hash2 := "2222222222222222222222222222222222222222222222222222222222222222"
	if _, err := os.SetSCIMToken(e.Ctx, Actor, "assay_scim_abcd", hash1); err != nil {
		t.Fatal(err)
	}
	if id, err := e.Store.OrgBySCIMToken(e.Ctx, hash1); err != nil || id != org.ID {
		t.Fatalf("lookup: %d %v", id, err)
	}
	e.Clock.Advance(time.Hour)
	tok, err := os.SetSCIMToken(e.Ctx, Actor, "assay_scim_efgh", hash2)
	if err != nil || tok.Prefix != "assay_scim_efgh" || !tok.CreatedAt.Equal(e.Clock.Now()) {
		t.Fatalf("rotate: %+v %v", tok, err)
	}
	if _, err := e.Store.OrgBySCIMToken(e.Ctx, hash1); assay.ErrorCode(err) != assay.EUNAUTHORIZED {
		t.Fatalf("old token after rotation: %v", err)
	}
	// Another organisation cannot take the same hash.
	if _, err := other.SetSCIMToken(e.Ctx, Actor, "assay_scim_efgh", hash2); err == nil {
		t.Fatal("two organisations share a SCIM token hash")
	}
}

func testSCIMUserLifecycle(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	_, other := e.Org("globex")
	e.User(os, "admin@example.com", assay.RoleAdmin)
	u, err := os.CreateSCIMUser(e.Ctx, scimActor, assay.SCIMUser{UserName: " Ana.Diaz@Example.com ", ExternalID: "ext-1", GivenName: "Ana", FamilyName: "Díaz", Active: true}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ana.diaz@example.com" || u.Name != "Ana Díaz" || u.ExternalID != "ext-1" || u.Role != assay.SCIMDefaultRole || u.Disabled {
		t.Fatalf("created: %+v", u)
	}
	if _, err := os.CreateSCIMUser(e.Ctx, scimActor, assay.SCIMUser{UserName: "ana.diaz@example.com", Active: true}, "hash"); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := other.SCIMUser(e.Ctx, u.ID); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("another organisation reads the user: %v", err)
	}
	if _, err := other.UpdateSCIMUser(e.Ctx, scimActor, u.ID, assay.SCIMUser{UserName: "x@example.com"}); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("another organisation changes the user: %v", err)
	}
	if err := e.Store.CreateSession(e.Ctx, "session-hash-ana", assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: "c", CreatedAt: e.Clock.Now(), ExpiresAt: e.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "ci", Prefix: "asy_a"}, "token-hash-ana"); err != nil {
		t.Fatal(err)
	}
	e.Clock.Advance(time.Minute)
	off := assay.SCIMUser{UserName: "ana.diaz@example.com", GivenName: "Ana", FamilyName: "Díaz", Active: false}
	after, err := os.UpdateSCIMUser(e.Ctx, scimActor, u.ID, off)
	if err != nil || !after.Disabled || after.DeactivatedAt == nil || !after.DeactivatedAt.Equal(e.Clock.Now()) || after.ExternalID != "" {
		t.Fatalf("deactivate: %+v %v", after, err)
	}
	if _, _, err := e.Store.UserBySession(e.Ctx, "session-hash-ana"); assay.ErrorCode(err) != assay.EUNAUTHORIZED {
		t.Fatalf("session after deactivation: %v", err)
	}
	if _, _, err := e.Store.UserByAPIToken(e.Ctx, "token-hash-ana"); assay.ErrorCode(err) != assay.EUNAUTHORIZED {
		t.Fatalf("token after deactivation: %v", err)
	}
	off.Active = true
	if _, err := os.UpdateSCIMUser(e.Ctx, scimActor, u.ID, off); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.Store.UserByAPIToken(e.Ctx, "token-hash-ana"); assay.ErrorCode(err) != assay.EUNAUTHORIZED {
		t.Fatalf("token came back on reactivation: %v", err)
	}
	acts, err := os.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventSCIMChange})
	if err != nil || len(acts) != 3 {
		t.Fatalf("SCIM events: %d %v", len(acts), err)
	}
	if err := os.DeleteSCIMUser(e.Ctx, scimActor, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.SCIMUser(e.Ctx, u.ID); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("deleted user still served: %v", err)
	}
	if kept, err := os.User(e.Ctx, u.ID); err != nil || !kept.Disabled {
		t.Fatalf("deleted user is kept, disabled: %+v %v", kept, err)
	}
	list, err := os.SCIMUsers(e.Ctx)
	if err != nil || len(list) != 1 || list[0].Email != "admin@example.com" {
		t.Fatalf("SCIM users: %+v %v", list, err)
	}
}

func testSCIMGroupRoles(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	e.User(os, "admin@example.com", assay.RoleAdmin)
	a := must(os.CreateSCIMUser(e.Ctx, scimActor, assay.SCIMUser{UserName: "a@example.com", Active: true}, "h")).get(t)
	b := must(os.CreateSCIMUser(e.Ctx, scimActor, assay.SCIMUser{UserName: "b@example.com", Active: true}, "h")).get(t)
	check(t, os.SetSCIMGroupRole(e.Ctx, Actor, assay.SCIMGroupRole{DisplayName: "Security", Role: assay.RoleMember}), "map")
	if err := os.SetSCIMGroupRole(e.Ctx, Actor, assay.SCIMGroupRole{DisplayName: "X", Role: "owner"}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("unknown role: %v", err)
	}
	g, err := os.PutSCIMGroup(e.Ctx, scimActor, assay.SCIMGroup{DisplayName: "Security", Members: []assay.SCIMMember{{UserID: a.ID}, {UserID: a.ID}}})
	if err != nil || len(g.Members) != 1 || g.Role != assay.RoleMember {
		t.Fatalf("group: %+v %v", g, err)
	}
	if u := must(os.User(e.Ctx, a.ID)).get(t); u.Role != assay.RoleMember {
		t.Fatalf("member's role: %s", u.Role)
	}
	// Mapping another group later applies to its members at once; the
	// highest role wins.
	must(os.PutSCIMGroup(e.Ctx, scimActor, assay.SCIMGroup{DisplayName: "Auditors", Members: []assay.SCIMMember{{UserID: a.ID}, {UserID: b.ID}}})).get(t)
	check(t, os.SetSCIMGroupRole(e.Ctx, Actor, assay.SCIMGroupRole{DisplayName: "Auditors", Role: assay.RoleAuditor}), "map auditors")
	if u := must(os.User(e.Ctx, a.ID)).get(t); u.Role != assay.RoleMember {
		t.Fatalf("a in both: %s", u.Role)
	}
	if u := must(os.User(e.Ctx, b.ID)).get(t); u.Role != assay.RoleAuditor {
		t.Fatalf("b in auditors: %s", u.Role)
	}
	// Leaving Security leaves a with the auditors' role.
	g.Members = nil
	must(os.PutSCIMGroup(e.Ctx, scimActor, g)).get(t)
	if u := must(os.User(e.Ctx, a.ID)).get(t); u.Role != assay.RoleAuditor {
		t.Fatalf("a after leaving Security: %s", u.Role)
	}
	if _, err := os.PutSCIMGroup(e.Ctx, scimActor, assay.SCIMGroup{DisplayName: "Ghosts", Members: []assay.SCIMMember{{UserID: 99999}}}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("unknown member: %v", err)
	}
	if _, err := os.PutSCIMGroup(e.Ctx, scimActor, assay.SCIMGroup{DisplayName: "Auditors"}); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Fatalf("duplicate name: %v", err)
	}
	groups := must(os.SCIMGroups(e.Ctx)).get(t)
	if len(groups) != 2 || groups[1].Role != assay.RoleAuditor || len(groups[1].Members) != 2 {
		t.Fatalf("groups: %+v", groups)
	}
	check(t, os.DeleteSCIMGroup(e.Ctx, scimActor, groups[1].ID), "delete group")
	if _, err := os.SCIMGroup(e.Ctx, groups[1].ID); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("deleted group: %v", err)
	}
	if roles := must(os.SCIMGroupRoles(e.Ctx)).get(t); len(roles) != 2 {
		t.Fatalf("mapping: %+v", roles)
	}
}

func testAPITokenScope(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	ro := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "reader", Prefix: "asy_r", Scope: assay.TokenReadOnly}, "h-ro")).get(t)
	rw := must(os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "writer", Prefix: "asy_w"}, "h-rw")).get(t)
	if ro.Scope != assay.TokenReadOnly || rw.Scope != assay.TokenReadWrite {
		t.Fatalf("scopes: %s %s", ro.Scope, rw.Scope)
	}
	if _, tok, err := e.Store.UserByAPIToken(e.Ctx, "h-ro"); err != nil || !tok.ReadOnly() {
		t.Fatalf("read-only token: %+v %v", tok, err)
	}
	if _, err := os.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "x", Prefix: "asy_x", Scope: "admin"}, "h-x"); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("unknown scope: %v", err)
	}
	list := must(os.APITokens(e.Ctx)).get(t)
	if len(list) != 2 || list[0].Scope != assay.TokenReadOnly {
		t.Fatalf("listed: %+v", list)
	}
}

func testAssayAccessPopulation(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	ann := e.User(o, "ann@example.com", assay.RoleAdmin)
	a := e.typeII(o)
	bo := e.User(o, "bo@example.com", assay.RoleMember)
	check(t, o.EnableMFA(e.Ctx, Actor, bo.ID, []byte("sealed-secret"), 1, []string{"1111111111111111111111111111111111111111111111111111111111111111"}), "mfa")
	check(t, o.RecordSecurityEvent(e.Ctx, assay.SecurityEvent{Action: assay.EventSignIn, UserID: bo.ID, Via: "web", Addr: "192.0.2.1"}), "sign-in")
	e.Clock.Advance(time.Hour)
	sc := must(o.CreateSCIMUser(e.Ctx, scimActor, assay.SCIMUser{UserName: "cy@example.com", GivenName: "Cy", FamilyName: "Ng", Active: true}, "h")).get(t)
	e.Clock.Advance(time.Hour)
	must(o.UpdateSCIMUser(e.Ctx, scimActor, sc.ID, assay.SCIMUser{UserName: "cy@example.com", GivenName: "Cy", FamilyName: "Ng"})).get(t)
	pop := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationAssayAccess, "", 0)).get(t)
	if len(pop.Items) != 3 || pop.Provenance == nil || pop.Provenance.Count != 3 {
		t.Fatalf("population: %+v", pop)
	}
	want := map[string][]string{
		"user:" + itoa(ann.ID): {"<ann@example.com>", "role admin", "last sign-in never", "MFA no", "active"},
		"user:" + itoa(bo.ID):  {"role member", "last sign-in 20", "MFA yes", "active"},
		"user:" + itoa(sc.ID):  {"Cy Ng <cy@example.com>", "role employee", "MFA no", "deactivated 20"},
	}
	for _, it := range pop.Items {
		for _, w := range want[it.Key] {
			if !strings.Contains(it.Label, w) {
				t.Errorf("%s: %q lacks %q", it.Key, it.Label, w)
			}
		}
	}
	// A sample is drawn from it like any other population.
	seed := uint64(7)
	s := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationAssayAccess, Size: 2, Seed: &seed})).get(t)
	if s.PopulationSize != 3 || len(s.Keys) != 2 {
		t.Fatalf("sample: %+v", s)
	}
}
