package storetest

import (
	"time"

	"github.com/assay-platform/assay"
)

// regressionTests pin down bugs this suite found in the store (each was a
// failing test first). A new bug found later gets a test here that calls
// knownBug until it is fixed.
var regressionTests = []subtest{
	{"SetupTokenRefusedOnceUsersExist", testSetupTokenAfterUsers},
	{"ControlsQueryNonASCIICase", testControlsQueryUnicode},
	{"MissingOrganizationWrites", testMissingOrganizationWrites},
	{"ReturnedTimesMatchStored", testReturnedTimes},
}

func testSetupTokenAfterUsers(e *Env) {
	_, os := e.Org("acme")
	e.User(os, "ann@example.com", assay.RoleAdmin)
	check(e.T, e.Store.CreateSetupToken(e.Ctx, "setup", e.Clock.Now().Add(time.Hour)), "create setup token")
	wantCode(e.T, e.Store.ConsumeSetupToken(e.Ctx, "setup"), assay.EUNAUTHORIZED, "setup token once a user exists")
}

func testControlsQueryUnicode(e *Env) {
	_, os := e.Org("acme")
	must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-1", "Überwachung der Zugänge", "", []string{"CC6.1"}))).get(e.T)
	for _, q := range []string{"überwachung", "ÜBERWACHUNG", "zugänge", "ZUGÄNGE"} {
		wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Query: q}), []string{"CUS-1"}, "query "+q)
	}
}

func testMissingOrganizationWrites(e *Env) {
	org, _ := e.Org("real")
	os := e.Store.Org(org.ID + 1000)
	_, err := os.CreateUser(e.Ctx, Actor, assay.NewUser{Email: "ann@example.com", Role: assay.RoleAdmin, Password: password}, "hash")
	if assay.ErrorCode(err) != assay.ENOTFOUND {
		e.T.Errorf("CreateUser in a missing organisation: %v, want %s", err, assay.ENOTFOUND)
	}
	_, err = os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-1", "Name", "", []string{"CC6.1"}))
	if assay.ErrorCode(err) != assay.ENOTFOUND {
		e.T.Errorf("CreateControl in a missing organisation: %v, want %s", err, assay.ENOTFOUND)
	}
}

func testReturnedTimes(e *Env) {
	t := e.T
	e.Clock.T = Epoch.Add(123456789 * time.Nanosecond)
	org, os := e.Org("acme")
	jsonEq(t, must(os.Organization(e.Ctx)).get(t), org, "organisation read back")
	c := e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr("x")})
	jsonEq(t, e.Control(os, "AC-01"), c, "control read back")
	u := e.User(os, "ann@example.com", assay.RoleAdmin)
	jsonEq(t, must(os.User(e.Ctx, u.ID)).get(t), u, "user read back")
}
