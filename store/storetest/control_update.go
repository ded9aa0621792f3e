package storetest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var controlUpdateTests = []subtest{
	{"UpdateControlStatusRecordsActivity", testUpdateControlStatus},
	{"UpdateControlNotApplicableNeedsJustification", testUpdateControlJustification},
	{"UpdateControlRefusesInvalidPatches", testUpdateControlInvalid},
	{"UpdateControlFields", testUpdateControlFields},
	{"UpdateControlOwner", testUpdateControlOwner},
	{"UpdateControlCriteria", testUpdateControlCriteria},
	{"UpdateControlLibraryName", testUpdateControlName},
}

// wantUnchanged checks that a refused change left the control and the
// audit trail as they were.
func wantUnchanged(e *Env, os store.OrgStore, before assay.Control, entries int) {
	e.T.Helper()
	jsonEq(e.T, e.Control(os, before.ID), before, "control after a refused change")
	if n := len(e.Activity(os)); n != entries {
		e.T.Fatalf("a refused change wrote activity: %d entries, want %d", n, entries)
	}
}

func testUpdateControlStatus(e *Env) {
	t := e.T
	org, os := e.Org("acme")
	before := e.Control(os, "AC-01")
	entries := len(e.Activity(os))
	e.Clock.Advance(90 * time.Minute)
	actor := assay.Actor{UserID: 0, Name: "Ann Admin", Via: "web"}
	got, err := os.UpdateControl(e.Ctx, actor, "AC-01", assay.ControlPatch{Status: ptr(assay.StatusInProgress)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assay.StatusInProgress || !got.UpdatedAt.Equal(e.Clock.Now()) || !got.CreatedAt.Equal(Epoch) {
		t.Fatalf("updated control = %+v", got)
	}
	jsonEq(t, e.Control(os, "AC-01"), got, "re-read after update")

	acts := e.Activity(os)
	if len(acts) != entries+1 {
		t.Fatalf("activity grew by %d, want 1", len(acts)-entries)
	}
	a := acts[0]
	if a.Action != "control.update" || a.ObjectType != "control" || a.ObjectID != "AC-01" || a.OrgID != org.ID ||
		a.Actor != actor || !a.At.Equal(e.Clock.Now()) || !strings.Contains(a.Summary, "AC-01") {
		t.Fatalf("entry = %+v", a)
	}
	var b, af assay.Control
	if err := json.Unmarshal(a.Before, &b); err != nil {
		t.Fatalf("before JSON %s: %v", a.Before, err)
	}
	if err := json.Unmarshal(a.After, &af); err != nil {
		t.Fatalf("after JSON %s: %v", a.After, err)
	}
	jsonEq(t, b, before, "entry's before")
	jsonEq(t, af, got, "entry's after")
}

func testUpdateControlJustification(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	before := e.Control(os, "PR-01")
	entries := len(e.Activity(os))
	for _, j := range []*string{nil, ptr(""), ptr("   ")} {
		_, err := os.UpdateControl(e.Ctx, Actor, "PR-01", assay.ControlPatch{Status: ptr(assay.StatusNotApplicable), Justification: j})
		wantCode(t, err, assay.EINVALID, "not applicable without a justification")
		wantUnchanged(e, os, before, entries)
	}
	got := e.Update(os, "PR-01", assay.ControlPatch{Status: ptr(assay.StatusNotApplicable), Justification: ptr("  No personal data.  ")})
	if got.Status != assay.StatusNotApplicable || got.Justification != "No personal data." {
		t.Fatalf("not applicable = %+v", got)
	}
	// Clearing the justification of a not-applicable control is refused too.
	na := e.Control(os, "PR-01")
	_, err := os.UpdateControl(e.Ctx, Actor, "PR-01", assay.ControlPatch{Justification: ptr("")})
	wantCode(t, err, assay.EINVALID, "clearing the justification")
	wantUnchanged(e, os, na, entries+1)
	// Leaving not applicable drops the justification.
	back := e.Update(os, "PR-01", assay.ControlPatch{Status: ptr(assay.StatusInProgress)})
	if back.Justification != "" || e.Control(os, "PR-01").Justification != "" {
		t.Fatalf("justification kept after leaving not applicable: %+v", back)
	}
}

func testUpdateControlInvalid(e *Env) {
	_, os := e.Org("acme")
	e.Update(os, "AC-01", assay.ControlPatch{Notes: ptr("Reviewed in January.")})
	before := e.Control(os, "AC-01")
	entries := len(e.Activity(os))
	for name, p := range map[string]assay.ControlPatch{
		"empty patch":                     {},
		"unknown status":                  {Status: ptr(assay.ControlStatus("done"))},
		"unknown criterion":               {Criteria: &[]string{"CC6.1", "CC9.9"}},
		"no criteria":                     {Criteria: &[]string{}},
		"blank criteria":                  {Criteria: &[]string{" ", ""}},
		"oversized notes":                 {Notes: ptr(strings.Repeat("n", assay.MaxNotesLen+1))},
		"long description":                {Description: ptr(strings.Repeat("d", assay.MaxControlText+1))},
		"unknown frequency":               {Frequency: ptr("hourly")},
		"unknown kind":                    {Kind: ptr("decorative")},
		"unknown owner":                   {OwnerID: ptr(int64(987654))},
		"valid field with an invalid one": {Notes: ptr("changed"), Status: ptr(assay.ControlStatus("done"))},
	} {
		_, err := os.UpdateControl(e.Ctx, Actor, "AC-01", p)
		wantCode(e.T, err, assay.EINVALID, name)
		wantUnchanged(e, os, before, entries)
	}
	_, err := os.UpdateControl(e.Ctx, Actor, "ZZ-99", assay.ControlPatch{Notes: ptr("x")})
	wantCode(e.T, err, assay.ENOTFOUND, "unknown control")
	if n := len(e.Activity(os)); n != entries {
		e.T.Fatalf("update of an unknown control wrote activity")
	}
}

func testUpdateControlFields(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	notes := strings.Repeat("é", assay.MaxNotesLen/2) // exactly MaxNotesLen bytes
	p := assay.ControlPatch{
		Description: ptr("  New description.  "),
		Evidence:    ptr("Screenshots of the review."),
		Notes:       &notes,
		Frequency:   ptr("quarterly"),
		Kind:        ptr("detective"),
		Status:      ptr(assay.StatusImplemented),
	}
	got := e.Update(os, "AV-01", p)
	if got.Description != "New description." || got.Evidence != "Screenshots of the review." || got.Notes != notes ||
		got.Frequency != "quarterly" || got.Kind != "detective" || got.Status != assay.StatusImplemented || got.Name != "Backups" {
		e.T.Fatalf("updated = %+v", got)
	}
	jsonEq(e.T, e.Control(os, "AV-01"), got, "re-read")
	// Fields the patch leaves out stay as they are.
	got2 := e.Update(os, "AV-01", assay.ControlPatch{Evidence: ptr("Restore logs.")})
	if got2.Description != "New description." || got2.Notes != notes || got2.Status != assay.StatusImplemented || got2.Evidence != "Restore logs." {
		t.Fatalf("partial patch = %+v", got2)
	}
	// Other controls are untouched.
	if c := e.Control(os, "AC-01"); c.Notes != "" || c.Status != assay.StatusNotStarted {
		t.Fatalf("AC-01 changed with AV-01: %+v", c)
	}
}

func testUpdateControlOwner(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	_, other := e.Org("other")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	stranger := e.User(other, "stranger@example.com", assay.RoleAdmin)
	gone := e.User(os, "gone@example.com", assay.RoleMember)
	must(os.SetUserDisabled(e.Ctx, Actor, gone.ID, true)).get(t)

	got := e.Update(os, "AC-01", assay.ControlPatch{OwnerID: &ann.ID})
	if got.OwnerID != ann.ID || got.OwnerName != ann.Name {
		t.Fatalf("owner = %d %q", got.OwnerID, got.OwnerName)
	}
	if c := e.Control(os, "AC-01"); c.OwnerID != ann.ID || c.OwnerName != ann.Name {
		t.Fatalf("re-read owner = %d %q", c.OwnerID, c.OwnerName)
	}
	before := e.Control(os, "AC-01")
	entries := len(e.Activity(os))
	_, err := os.UpdateControl(e.Ctx, Actor, "AC-01", assay.ControlPatch{OwnerID: &stranger.ID})
	wantCode(t, err, assay.EINVALID, "owner from another organisation")
	wantUnchanged(e, os, before, entries)
	_, err = os.UpdateControl(e.Ctx, Actor, "AC-01", assay.ControlPatch{OwnerID: &gone.ID})
	wantCode(t, err, assay.EINVALID, "disabled owner")
	wantUnchanged(e, os, before, entries)
	// The other organisation's control is not touched either.
	if c := e.Control(other, "AC-01"); c.OwnerID != 0 {
		t.Fatalf("other organisation's AC-01 owner = %d", c.OwnerID)
	}
}

func testUpdateControlCriteria(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	got := e.Update(os, "GV-01", assay.ControlPatch{Criteria: &[]string{"p1.1", " CC6.2", "cc1.1", "CC6.2", "A1.1"}})
	want := []string{"CC1.1", "CC6.2", "A1.1", "P1.1"}
	wantIDs(t, got.Criteria, want, "returned criteria")
	wantIDs(t, e.Control(os, "GV-01").Criteria, want, "re-read criteria")
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{Criterion: "P1.1"}), []string{"GV-01", "PR-01"}, "P1.1 after remapping")
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{Category: "privacy"}), []string{"GV-01", "PR-01"}, "privacy after remapping")
	// Remapping replaces, it does not add.
	e.Update(os, "GV-01", assay.ControlPatch{Criteria: &[]string{"CC6.1"}})
	wantIDs(t, e.Control(os, "GV-01").Criteria, []string{"CC6.1"}, "after second remap")
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{Criterion: "CC1.1"}), []string{"OP-01"}, "CC1.1 after second remap")
	// A patch without criteria keeps them.
	e.Update(os, "GV-01", assay.ControlPatch{Notes: ptr("x")})
	wantIDs(t, e.Control(os, "GV-01").Criteria, []string{"CC6.1"}, "after a patch without criteria")
	// The entry records the mapping before and after.
	var b, a assay.Control
	for _, act := range e.Activity(os) {
		if act.ObjectID == "GV-01" && strings.Contains(act.Summary, "criteria") {
			if err := json.Unmarshal(act.Before, &b); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(act.After, &a); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	wantIDs(t, b.Criteria, want, "entry's criteria before")
	wantIDs(t, a.Criteria, []string{"CC6.1"}, "entry's criteria after")
}

func testUpdateControlName(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	before := e.Control(os, "AC-01")
	entries := len(e.Activity(os))
	_, err := os.UpdateControl(e.Ctx, Actor, "AC-01", assay.ControlPatch{Name: ptr("Something else")})
	wantCode(t, err, assay.EINVALID, "renaming a library control")
	wantUnchanged(e, os, before, entries)
	custom := must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-1", "Vendor reviews", "", []string{"CC6.1"}))).get(t)
	got := e.Update(os, custom.ID, assay.ControlPatch{Name: ptr("  Supplier reviews ")})
	if got.Name != "Supplier reviews" || e.Control(os, "CUS-1").Name != "Supplier reviews" {
		t.Fatalf("renamed custom control = %+v", got)
	}
	cbefore := e.Control(os, "CUS-1")
	_, err = os.UpdateControl(e.Ctx, Actor, "CUS-1", assay.ControlPatch{Name: ptr("  ")})
	wantCode(t, err, assay.EINVALID, "blank name")
	wantUnchanged(e, os, cbefore, len(e.Activity(os)))
}
