package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
)

// Every role that reads the program lists controls; only admins add a
// custom one; a member changes the status and notes of controls they own,
// and nothing of another's.
func TestControlsAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	auditor := e.principal(t, assay.RoleAuditor)

	all, err := e.app.Controls(e.ctx, auditor, assay.ControlFilter{})
	if err != nil || len(all) == 0 {
		t.Fatalf("an auditor lists controls: %d %v", len(all), err)
	}
	if _, err := e.app.Control(e.ctx, member, all[0].ID); err != nil {
		t.Fatalf("a member reads a control: %v", err)
	}
	if _, err := e.app.Controls(e.ctx, admin, assay.ControlFilter{Limit: 10001}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a limit of 10001: %v", err)
	}

	custom := assay.NewCustomControl("CUS-01", "Badge audit", "Badges are reviewed.", []string{"CC6.4"})
	if _, err := e.app.CreateControl(e.ctx, member, custom); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member added a control: %v", err)
	}
	if _, err := e.app.Control(e.ctx, admin, "CUS-01"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("the refused control exists: %v", err)
	}
	if _, err := e.app.CreateControl(e.ctx, admin, assay.NewCustomControl("", "No id", "", nil)); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a control without an id: %v", err)
	}
	c, err := e.app.CreateControl(e.ctx, admin, custom)
	if err != nil || !c.Custom || c.ID != "CUS-01" {
		t.Fatalf("an admin adds a control: %+v %v", c, err)
	}

	// The member owns CUS-01 only.
	owner := member.User.ID
	if _, err := e.app.UpdateControl(e.ctx, admin, "CUS-01", assay.ControlPatch{OwnerID: &owner}); err != nil {
		t.Fatal(err)
	}
	st := assay.StatusInProgress
	if c, err := e.app.UpdateControl(e.ctx, member, "CUS-01", assay.ControlPatch{Status: &st}); err != nil || c.Status != st {
		t.Fatalf("the owner sets the status: %+v %v", c, err)
	}
	if _, err := e.app.UpdateControl(e.ctx, member, all[0].ID, assay.ControlPatch{Status: &st}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member changed a control they do not own: %v", err)
	}
	name := "Renamed"
	if _, err := e.app.UpdateControl(e.ctx, member, "CUS-01", assay.ControlPatch{Name: &name}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member renamed a control: %v", err)
	}
	mine, err := e.app.Controls(e.ctx, member, assay.ControlFilter{OwnerID: owner})
	if err != nil || len(mine) != 1 || mine[0].Name != "Badge audit" {
		t.Fatalf("the member's controls: %+v %v", mine, err)
	}
}
