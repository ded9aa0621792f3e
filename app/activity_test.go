package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
)

// Admins, auditors and members read the audit trail; viewers and employees
// do not; a limit out of range is refused.
func TestActivityAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	st := assay.StatusInProgress
	if _, err := e.app.UpdateControl(e.ctx, admin, "ACC-01", assay.ControlPatch{Status: &st}); err != nil {
		t.Fatal(err)
	}
	for _, role := range []assay.Role{assay.RoleAuditor, assay.RoleMember} {
		entries, err := e.app.Activity(e.ctx, e.principal(t, role), assay.ActivityFilter{ObjectType: "control", ObjectID: "ACC-01"})
		if err != nil || len(entries) != 1 || entries[0].Action != "control.update" {
			t.Fatalf("%s reads the trail: %+v %v", role, entries, err)
		}
	}
	for _, role := range []assay.Role{assay.RoleViewer, assay.RoleEmployee} {
		if _, err := e.app.Activity(e.ctx, e.principal(t, role), assay.ActivityFilter{}); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Fatalf("%s read the trail: %v", role, err)
		}
	}
	if _, err := e.app.Activity(e.ctx, admin, assay.ActivityFilter{Limit: 5000}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a limit of 5000: %v", err)
	}
	if entries, err := e.app.Activity(e.ctx, admin, assay.ActivityFilter{ObjectType: "nothing"}); err != nil || entries == nil || len(entries) != 0 {
		t.Fatalf("an empty trail is an empty list: %#v %v", entries, err)
	}
}
