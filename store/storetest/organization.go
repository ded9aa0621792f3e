package storetest

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/assay-platform/assay"
)

var organizationTests = []subtest{
	{"CreateOrganization", testCreateOrganization},
	{"CreateOrganizationScopeAlwaysHasSecurity", testCreateOrganizationDefaultScope},
	{"CreateOrganizationUnknownCategory", testCreateOrganizationUnknownCategory},
	{"CreateOrganizationDuplicateSlug", testCreateOrganizationDuplicateSlug},
	{"CreateOrganizationInvalidNameOrSlug", testCreateOrganizationInvalid},
	{"CreateOrganizationInvalidControl", testCreateOrganizationInvalidControl},
	{"CreateOrganizationIsAtomic", testCreateOrganizationAtomic},
	{"CreateOrganizationWithoutControls", testCreateOrganizationWithoutControls},
	{"MissingOrganization", testMissingOrganization},
}

func testCreateOrganization(e *Env) {
	t := e.T
	org, err := e.Store.CreateOrganization(e.Ctx, Actor, "Acme Inc", "acme",
		assay.Scope{Categories: []string{" privacy", "availability", "privacy"}}, LibraryControls())
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if org.ID <= 0 || org.Slug != "acme" || org.Name != "Acme Inc" {
		t.Fatalf("created organisation = %+v", org)
	}
	wantIDs(t, org.Scope.Categories, []string{"security", "availability", "privacy"}, "normalised scope")
	if !org.CreatedAt.Equal(Epoch) || !org.UpdatedAt.Equal(Epoch) {
		t.Errorf("times = %v, %v, want %v", org.CreatedAt, org.UpdatedAt, Epoch)
	}
	if filled, _ := org.System.Completion(); filled != 0 || len(org.System.Subservices) != 0 {
		t.Errorf("new organisation has a system description: %+v", org.System)
	}

	// Every read path returns the same organisation.
	jsonEq(t, must(e.Store.Org(org.ID).Organization(e.Ctx)).get(t), org, "Org(id).Organization")
	jsonEq(t, must(e.Store.OrganizationBySlug(e.Ctx, "acme")).get(t), org, "OrganizationBySlug")
	all := must(e.Store.Organizations(e.Ctx)).get(t)
	if len(all) != 1 {
		t.Fatalf("Organizations = %d, want 1", len(all))
	}
	jsonEq(t, all[0], org, "Organizations()[0]")

	// The library is adopted as given, listed by id, criteria in catalog order.
	os := e.Store.Org(org.ID)
	got := must(os.Controls(e.Ctx, assay.ControlFilter{})).get(t)
	wantIDs(t, ids(got), LibraryIDs, "adopted controls")
	lib := map[string]assay.Control{}
	for _, c := range LibraryControls() {
		lib[c.ID] = c
	}
	wantCriteria := map[string][]string{"AC-01": {"CC6.1", "CC6.2"}, "AC-02": {"CC6.1"}, "AV-01": {"A1.1"},
		"GV-01": {"CC1.1"}, "OP-01": {"CC1.1", "A1.1"}, "PR-01": {"P1.1"}}
	for _, c := range got {
		w := lib[c.ID]
		if c.Name != w.Name || c.Family != w.Family || c.Description != w.Description || c.Evidence != w.Evidence ||
			c.OwnerRole != w.OwnerRole || c.Frequency != w.Frequency || c.Kind != w.Kind || c.Custom ||
			c.Status != assay.StatusNotStarted || c.OwnerID != 0 || c.Notes != "" {
			t.Errorf("adopted control %s = %+v, want %+v", c.ID, c, w)
		}
		wantIDs(t, c.Criteria, wantCriteria[c.ID], c.ID+" criteria")
		if !c.CreatedAt.Equal(Epoch) || !c.UpdatedAt.Equal(Epoch) {
			t.Errorf("%s times = %v, %v", c.ID, c.CreatedAt, c.UpdatedAt)
		}
	}

	// Two entries: the organisation, then the adoption.
	acts := e.Activity(os)
	if len(acts) != 2 {
		t.Fatalf("activity has %d entries, want 2: %s", len(acts), sprint(acts))
	}
	adopt, create := acts[0], acts[1]
	if create.Action != "organization.create" || adopt.Action != "control.adopt_library" {
		t.Fatalf("actions = %q, %q", create.Action, adopt.Action)
	}
	for _, a := range acts {
		if a.OrgID != org.ID || a.ObjectType != "organization" || a.ObjectID != "acme" || a.Actor != Actor || !a.At.Equal(Epoch) || a.Summary == "" {
			t.Errorf("entry %s = %+v", a.Action, a)
		}
	}
	if create.Seq >= adopt.Seq {
		t.Errorf("seq of create %d is not before adopt %d", create.Seq, adopt.Seq)
	}
	var after assay.Organization
	if err := json.Unmarshal(create.After, &after); err != nil || after.Slug != "acme" || after.ID != org.ID {
		t.Errorf("organization.create after = %s (%v)", create.After, err)
	}
	var n struct {
		Controls int             `json:"controls"`
		Adopted  []assay.Control `json:"adopted"`
	}
	if err := json.Unmarshal(adopt.After, &n); err != nil || n.Controls != len(LibraryIDs) || len(n.Adopted) != len(LibraryIDs) {
		t.Errorf("control.adopt_library after = %s (%v)", adopt.After, err)
	}
	// The entry records each adopted control as written.
	for _, c := range n.Adopted {
		if w := lib[c.ID]; c.Name != w.Name || c.Status != assay.StatusNotStarted || !c.CreatedAt.Equal(Epoch) {
			t.Errorf("adopted control in the trail = %+v", c)
		}
	}
}

func testCreateOrganizationDefaultScope(e *Env) {
	org, _ := e.Org("plain")
	wantIDs(e.T, org.Scope.Categories, []string{"security"}, "empty scope")
	org2, _ := e.Org("explicit", "availability", "security")
	wantIDs(e.T, org2.Scope.Categories, []string{"security", "availability"}, "scope")
}

// wantNoOrganizations checks that nothing was written by a refused create.
func wantNoOrganizations(e *Env, slug string) {
	e.T.Helper()
	orgs := must(e.Store.Organizations(e.Ctx)).get(e.T)
	for _, o := range orgs {
		if o.Slug == slug {
			e.T.Fatalf("organisation %q was written: %+v", slug, o)
		}
	}
	_, err := e.Store.OrganizationBySlug(e.Ctx, slug)
	wantCode(e.T, err, assay.ENOTFOUND, "OrganizationBySlug after a refused create")
}

func testCreateOrganizationUnknownCategory(e *Env) {
	_, err := e.Store.CreateOrganization(e.Ctx, Actor, "Acme", "acme", assay.Scope{Categories: []string{"availability", "marketing"}}, LibraryControls())
	wantCode(e.T, err, assay.EINVALID, "unknown category")
	wantNoOrganizations(e, "acme")
	if orgs := must(e.Store.Organizations(e.Ctx)).get(e.T); len(orgs) != 0 {
		e.T.Fatalf("organisations = %+v", orgs)
	}
}

func testCreateOrganizationDuplicateSlug(e *Env) {
	first, _ := e.Org("acme")
	_, err := e.Store.CreateOrganization(e.Ctx, Actor, "Another Acme", "acme", assay.Scope{}, LibraryControls())
	wantCode(e.T, err, assay.ECONFLICT, "duplicate slug")
	orgs := must(e.Store.Organizations(e.Ctx)).get(e.T)
	if len(orgs) != 1 || orgs[0].Name != first.Name {
		e.T.Fatalf("organisations after duplicate = %+v", orgs)
	}
	if n := len(e.Activity(e.Store.Org(first.ID))); n != 2 {
		e.T.Fatalf("first organisation has %d activity entries, want 2", n)
	}
}

func testCreateOrganizationInvalid(e *Env) {
	long := make([]byte, assay.MaxNameLen+1)
	for i := range long {
		long[i] = 'n'
	}
	for _, c := range []struct{ name, slug string }{
		{"", "acme"}, {"   ", "acme"}, {string(long), "acme"},
		{"Acme", ""}, {"Acme", "Acme"}, {"Acme", "-acme"}, {"Acme", "ac me"}, {"Acme", "acme_inc"},
	} {
		_, err := e.Store.CreateOrganization(e.Ctx, Actor, c.name, c.slug, assay.Scope{}, LibraryControls())
		wantCode(e.T, err, assay.EINVALID, "name "+c.name[:min(len(c.name), 10)]+" slug "+c.slug)
	}
	if orgs := must(e.Store.Organizations(e.Ctx)).get(e.T); len(orgs) != 0 {
		e.T.Fatalf("refused creates wrote %+v", orgs)
	}
}

func testCreateOrganizationInvalidControl(e *Env) {
	controls := LibraryControls()
	controls[2].Criteria = []string{"CC9.9"}
	_, err := e.Store.CreateOrganization(e.Ctx, Actor, "Acme", "acme", assay.Scope{}, controls)
	wantCode(e.T, err, assay.EINVALID, "control with an unknown criterion")
	wantNoOrganizations(e, "acme")
}

func testCreateOrganizationAtomic(e *Env) {
	// The duplicate is only found by the database, after the organisation
	// row and its first entry are written: all of it must roll back.
	controls := append(LibraryControls(), LibraryControls()[0])
	_, err := e.Store.CreateOrganization(e.Ctx, Actor, "Acme", "acme", assay.Scope{}, controls)
	if err == nil {
		e.T.Fatal("creating an organisation with a control twice succeeded")
	}
	wantCode(e.T, err, assay.ECONFLICT, "control adopted twice")
	wantNoOrganizations(e, "acme")
	org, os := e.Org("acme")
	if org.Slug != "acme" {
		e.T.Fatalf("retry = %+v", org)
	}
	if n := len(e.Activity(os)); n != 2 {
		e.T.Fatalf("activity after retry = %d entries, want 2", n)
	}
}

func testCreateOrganizationWithoutControls(e *Env) {
	org := must(e.Store.CreateOrganization(e.Ctx, Actor, "Empty", "empty", assay.Scope{}, nil)).get(e.T)
	os := e.Store.Org(org.ID)
	if cs := must(os.Controls(e.Ctx, assay.ControlFilter{})).get(e.T); len(cs) != 0 {
		e.T.Fatalf("controls = %v", ids(cs))
	}
	acts := e.Activity(os)
	if len(acts) != 1 || acts[0].Action != "organization.create" {
		e.T.Fatalf("activity = %s", sprint(acts))
	}
}

func testMissingOrganization(e *Env) {
	t := e.T
	org, _ := e.Org("real")
	os := e.Store.Org(org.ID + 1000)
	if os.OrgID() != org.ID+1000 {
		t.Fatalf("OrgID = %d", os.OrgID())
	}
	_, err := os.Organization(e.Ctx)
	wantCode(t, err, assay.ENOTFOUND, "Organization")
	_, err = os.UpdateScope(e.Ctx, Actor, assay.Scope{})
	wantCode(t, err, assay.ENOTFOUND, "UpdateScope")
	_, err = os.UpdateSystemDescription(e.Ctx, Actor, assay.SystemDescription{Services: "x"})
	wantCode(t, err, assay.ENOTFOUND, "UpdateSystemDescription")
	_, err = os.Control(e.Ctx, "AC-01")
	wantCode(t, err, assay.ENOTFOUND, "Control")
	_, err = os.UpdateControl(e.Ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("x")})
	wantCode(t, err, assay.ENOTFOUND, "UpdateControl")
	_, err = os.User(e.Ctx, 1)
	wantCode(t, err, assay.ENOTFOUND, "User")
	if cs := must(os.Controls(e.Ctx, assay.ControlFilter{})).get(t); len(cs) != 0 {
		t.Fatalf("Controls of a missing organisation = %v", ids(cs))
	}
	// The real organisation is untouched.
	if got := must(e.Store.Org(org.ID).Organization(e.Ctx)).get(t); !slices.Equal(got.Scope.Categories, []string{"security"}) {
		t.Fatalf("real organisation changed: %+v", got)
	}
}

// jsonEq compares two values by their JSON encoding.
func jsonEq(t *testing.T, got, want any, what string) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Fatalf("%s:\n got  %s\n want %s", what, g, w)
	}
}
