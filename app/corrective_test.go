package app_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// Admins manage the register; a member updates only the actions they own,
// and may not reassign, reschedule or verify them.
func TestCorrectiveActionsMembersPatchOnlyTheirOwn(t *testing.T) {
	e := newEnv(t)
	admin, member := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember)
	auditor, viewer, employee := e.principal(t, assay.RoleAuditor), e.principal(t, assay.RoleViewer), e.principal(t, assay.RoleEmployee)
	due := time.Date(2028, 3, 31, 0, 0, 0, 0, time.UTC)

	n := assay.NewCorrectiveAction{Title: "MFA not enforced for contractors", Action: "Enforce MFA.", OwnerID: member.User.ID, DueDate: due}
	for _, p := range []app.Principal{member, auditor, viewer, employee} {
		_, err := e.app.CreateCorrectiveAction(e.ctx, p, n)
		wantCode(t, string(p.User.Role)+" adds an action", err, assay.EFORBIDDEN)
	}
	mine, err := e.app.CreateCorrectiveAction(e.ctx, admin, n)
	if err != nil || mine.Status != assay.CorrectiveOpen || mine.Source != assay.SourceManual {
		t.Fatalf("admin adds: %+v %v", mine, err)
	}
	n.OwnerID = admin.User.ID
	theirs, err := e.app.CreateCorrectiveAction(e.ctx, admin, n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.app.CreateCorrectiveAction(e.ctx, admin, assay.NewCorrectiveAction{Title: "No action", DueDate: due})
	wantCode(t, "an action without its action", err, assay.EINVALID)
	_, err = e.app.CreateCorrectiveAction(e.ctx, admin, assay.NewCorrectiveAction{Title: "Owned by a viewer", Action: "X", OwnerID: viewer.User.ID, DueDate: due})
	wantCode(t, "a viewer as owner", err, assay.EINVALID)

	for _, p := range []app.Principal{admin, member, auditor, viewer} {
		if list, err := e.app.CorrectiveActions(e.ctx, p, assay.CorrectiveFilter{}); err != nil || len(list) != 2 {
			t.Fatalf("%s lists: %d %v", p.User.Role, len(list), err)
		}
	}
	_, err = e.app.CorrectiveAction(e.ctx, employee, mine.ID)
	wantCode(t, "employee reads an action", err, assay.EFORBIDDEN)

	status := func(s assay.CorrectiveStatus) *assay.CorrectiveStatus { return &s }
	text := func(s string) *string { return &s }
	// The member's own action: status and text, yes.
	got, err := e.app.UpdateCorrectiveAction(e.ctx, member, mine.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveInProgress), Action: text("Enforce MFA in the IdP.")})
	if err != nil || got.Status != assay.CorrectiveInProgress || got.Action != "Enforce MFA in the IdP." {
		t.Fatalf("owner's update: %+v %v", got, err)
	}
	// Not another's; not reassigning, rescheduling or verifying their own.
	_, err = e.app.UpdateCorrectiveAction(e.ctx, member, theirs.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveDone)})
	wantCode(t, "member updates another's action", err, assay.EFORBIDDEN)
	if err := e.app.MayUpdateCorrective(e.ctx, member, theirs.ID); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("may update another's: %v", err)
	}
	if err := e.app.MayUpdateCorrective(e.ctx, member, mine.ID); err != nil {
		t.Fatalf("may update their own: %v", err)
	}
	later := due.AddDate(0, 1, 0)
	for name, patch := range map[string]assay.CorrectivePatch{
		"reassigns":   {OwnerID: &admin.User.ID},
		"reschedules": {DueDate: &later},
		"verifies":    {Status: status(assay.CorrectiveVerified), VerificationNotes: text("Looked fine.")},
	} {
		_, err := e.app.UpdateCorrectiveAction(e.ctx, member, mine.ID, patch)
		wantCode(t, "member "+name, err, assay.EFORBIDDEN)
	}
	for _, p := range []app.Principal{auditor, viewer, employee} {
		_, err := e.app.UpdateCorrectiveAction(e.ctx, p, mine.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveDone)})
		wantCode(t, string(p.User.Role)+" updates", err, assay.EFORBIDDEN)
	}
	// Bad input changes nothing.
	_, err = e.app.UpdateCorrectiveAction(e.ctx, member, mine.ID, assay.CorrectivePatch{Status: status("finished")})
	wantCode(t, "an unknown status", err, assay.EINVALID)
	if c, _ := e.app.CorrectiveAction(e.ctx, admin, mine.ID); c.Status != assay.CorrectiveInProgress {
		t.Fatalf("a refused update changed the action: %s", c.Status)
	}
	// Done by its owner, verified by an admin with notes.
	if _, err := e.app.UpdateCorrectiveAction(e.ctx, member, mine.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveDone)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.UpdateCorrectiveAction(e.ctx, admin, mine.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveVerified)})
	wantCode(t, "verifying without notes", err, assay.EINVALID)
	got, err = e.app.UpdateCorrectiveAction(e.ctx, admin, mine.ID, assay.CorrectivePatch{Status: status(assay.CorrectiveVerified), VerificationNotes: text("Sign-in logs show MFA.")})
	if err != nil || got.Status != assay.CorrectiveVerified || got.VerifiedByName != "admin" || got.VerifiedAt == nil {
		t.Fatalf("verify: %+v %v", got, err)
	}
	// Overdue is counted from the day after the due date.
	if app.ViewCorrective(theirs, due.Add(23*time.Hour)).Overdue || !app.ViewCorrective(theirs, due.AddDate(0, 0, 1).Add(time.Minute)).Overdue {
		t.Fatal("overdue is not counted from the end of the due date")
	}
}

// An exception in an audit becomes a corrective action, by an admin.
func TestCorrectAuditException(t *testing.T) {
	e := newEnv(t)
	admin, member := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember)
	asOf := e.clock.Now()
	audit, err := e.db.Org(e.org.ID).CreateAudit(e.ctx, assay.SystemActor, assay.NewAudit{Type: assay.AuditType1, Name: "SOC 2 Type I", Firm: "Firm LLP", AsOf: &asOf})
	if err != nil {
		t.Fatal(err)
	}
	x := app.AuditException{ControlID: " acc-01 ", Exception: "Two leavers kept access."}
	_, err = e.app.CorrectAuditException(e.ctx, member, audit.ID, x)
	wantCode(t, "member corrects an exception", err, assay.EFORBIDDEN)
	_, err = e.app.CorrectAuditException(e.ctx, admin, audit.ID, app.AuditException{ControlID: "NOPE-99", Exception: "x"})
	wantCode(t, "an unknown control", err, assay.EINVALID)
	_, err = e.app.CorrectAuditException(e.ctx, admin, audit.ID+10, x)
	wantCode(t, "an unknown audit", err, assay.ENOTFOUND)
	c, err := e.app.CorrectAuditException(e.ctx, admin, audit.ID, x)
	if err != nil || c.Source != assay.SourceAuditException || c.SourceRef != fmt.Sprintf("Audit %d (SOC 2 Type I) / ACC-01", audit.ID) || !c.DueDate.Equal(time.Date(2028, 3, 30, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("audit corrective: %+v %v", c, err)
	}
}
