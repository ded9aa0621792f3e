package app_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// TestOwnersCanAct: owner pickers offer only active admins and members,
// and every service that sets an owner or an assignee refuses an auditor,
// a viewer, an employee or a disabled account as invalid input.
func TestOwnersCanAct(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	cannot := map[string]assay.User{}
	for _, role := range []assay.Role{assay.RoleAuditor, assay.RoleViewer, assay.RoleEmployee} {
		cannot[string(role)] = e.principal(t, role).User
	}
	gone, err := org.CreateUser(e.ctx, assay.SystemActor, assay.NewUser{Email: "gone@acme.example", Name: "Gone", Role: assay.RoleMember, Password: "long enough password"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	if gone, err = org.SetUserDisabled(e.ctx, assay.SystemActor, gone.ID, true); err != nil {
		t.Fatal(err)
	}
	cannot["disabled"] = gone

	owners, err := e.app.Owners(e.ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range owners {
		ids = append(ids, u.ID)
	}
	if len(ids) != 2 || ids[0] != admin.User.ID || ids[1] != member.User.ID {
		t.Fatalf("owners offered: %v, want the admin and the member", owners)
	}

	risks, err := e.app.AdoptRiskTemplates(e.ctx, admin, []string{"all"})
	if err != nil || len(risks) == 0 {
		t.Fatalf("adopt risks: %v", err)
	}
	due := e.clock.Now().AddDate(0, 0, 14)
	for what, u := range cannot {
		id := u.ID
		wantRefused(t, func() error {
			_, err := e.app.UpdateControl(e.ctx, admin, "ACC-01", assay.ControlPatch{OwnerID: &id})
			return err
		}(), assay.EINVALID, "cannot act on it", what+" owns a control")
		wantRefused(t, func() error {
			_, err := e.app.CreateEvidenceRequest(e.ctx, admin, assay.NewEvidenceRequest{ControlID: "ACC-01", AssigneeID: id, DueDate: due, Description: "x"})
			return err
		}(), assay.EINVALID, "cannot act on it", what+" answers a request")
		wantRefused(t, func() error {
			_, err := e.app.CreateCorrectiveAction(e.ctx, admin, assay.NewCorrectiveAction{Title: "Fix", Action: "Fix it", OwnerID: id, DueDate: due})
			return err
		}(), assay.EINVALID, "cannot act on it", what+" owns a corrective action")
		r := risks[0]
		r.OwnerID = id
		wantRefused(t, func() error {
			_, err := e.app.UpdateRisk(e.ctx, admin, r.ID, r)
			return err
		}(), assay.EINVALID, "cannot act on it", what+" owns a risk")
	}
	// The member can.
	id := member.User.ID
	if _, err := e.app.UpdateControl(e.ctx, admin, "ACC-01", assay.ControlPatch{OwnerID: &id}); err != nil {
		t.Fatalf("a member owns a control: %v", err)
	}
	if _, err := e.app.CreateEvidenceRequest(e.ctx, admin, assay.NewEvidenceRequest{ControlID: "ACC-01", DueDate: due.Add(time.Hour), Description: "x"}); err != nil {
		t.Fatalf("the control's owner answers a request: %v", err)
	}
}
