package storetest

import (
	"strings"

	"github.com/assay-platform/assay"
)

var ownerTests = []subtest{
	{"SetControlOwnersOneTransaction", testSetControlOwners},
	{"SetIncidentOwner", testSetIncidentOwner},
}

// testSetControlOwners: several controls get one owner, a ledgered
// control update for each that changes; an unknown control or owner
// changes none of them.
func testSetControlOwners(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	e.Update(os, "AC-02", assay.ControlPatch{OwnerID: &ann.ID})
	entries := len(e.Activity(os))
	got := must(os.SetControlOwners(e.Ctx, Actor, []string{"AC-01", "AC-02", "GV-01"}, ann.ID)).get(t)
	if len(got) != 3 {
		t.Fatalf("SetControlOwners returned %d controls, want 3", len(got))
	}
	for _, id := range []string{"AC-01", "AC-02", "GV-01"} {
		if c := e.Control(os, id); c.OwnerID != ann.ID || c.OwnerName != ann.Name {
			t.Fatalf("%s owner = %d %q", id, c.OwnerID, c.OwnerName)
		}
	}
	acts := e.Activity(os)
	if len(acts)-entries != 2 { // AC-02 had that owner already
		t.Fatalf("activity grew by %d, want 2", len(acts)-entries)
	}
	for _, a := range acts[:2] {
		if a.Action != "control.update" || !strings.Contains(a.Summary, "owner → "+ann.Name) {
			t.Fatalf("entry = %+v", a)
		}
	}
	entries = len(acts)
	before := e.Control(os, "OP-01")
	_, err := os.SetControlOwners(e.Ctx, Actor, []string{"OP-01", "NOPE-1"}, 0)
	wantCode(t, err, assay.ENOTFOUND, "an unknown control")
	wantUnchanged(e, os, before, entries)
	_, err = os.SetControlOwners(e.Ctx, Actor, []string{"OP-01"}, 99999)
	wantCode(t, err, assay.EINVALID, "an unknown owner")
	wantUnchanged(e, os, before, entries)
}

// testSetIncidentOwner: an incident's owner is kept, read back with its
// name, ledgered, and cleared with 0.
func testSetIncidentOwner(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	i := e.incident(os, "Lost laptop", false)
	if i.OwnerID != 0 || i.OwnerName != "" {
		t.Fatalf("a new incident has owner %d %q", i.OwnerID, i.OwnerName)
	}
	got := must(os.SetIncidentOwner(e.Ctx, Actor, i.ID, ann.ID)).get(t)
	if got.OwnerID != ann.ID || got.OwnerName != ann.Name {
		t.Fatalf("owner = %d %q", got.OwnerID, got.OwnerName)
	}
	if a := e.Activity(os)[0]; a.Action != "incident.owner" || !strings.Contains(a.Summary, ann.Name) {
		t.Fatalf("entry = %+v", a)
	}
	list := must(os.Incidents(e.Ctx, assay.IncidentFilter{})).get(t)
	if len(list) != 1 || list[0].OwnerName != ann.Name {
		t.Fatalf("the list reads owner %q", list[0].OwnerName)
	}
	if got := must(os.SetIncidentOwner(e.Ctx, Actor, i.ID, 0)).get(t); got.OwnerID != 0 || got.OwnerName != "" {
		t.Fatalf("cleared owner = %d %q", got.OwnerID, got.OwnerName)
	}
	_, err := os.SetIncidentOwner(e.Ctx, Actor, i.ID, 99999)
	wantCode(t, err, assay.EINVALID, "an unknown owner")
}
