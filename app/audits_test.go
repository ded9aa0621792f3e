package app_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// Engagements: admins create and move them; members and viewers read
// them; employees do not; an invited auditor reads and samples their own
// engagement only; only admins invite auditors.
func TestAuditAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin, member, viewer, employee, auditor := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember),
		e.principal(t, assay.RoleViewer), e.principal(t, assay.RoleEmployee), e.principal(t, assay.RoleAuditor)
	asOf := time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC)
	n := assay.NewAudit{Type: assay.AuditType1, Name: "One", Firm: "F", AsOf: &asOf}
	_, err := e.app.CreateAudit(e.ctx, member, n)
	wantCode(t, "member creates", err, assay.EFORBIDDEN)
	one, err := e.app.CreateAudit(e.ctx, admin, n)
	if err != nil {
		t.Fatal(err)
	}
	n.Name = "Two"
	two, err := e.app.CreateAudit(e.ctx, admin, n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.app.CreateAudit(e.ctx, admin, assay.NewAudit{Type: assay.AuditType1, Name: "No date"})
	wantCode(t, "no date", err, assay.EINVALID)

	for _, p := range []app.Principal{member, viewer, auditor} {
		if list, err := e.app.Audits(e.ctx, p); err != nil || len(list) != 2 {
			t.Fatalf("%s lists: %d %v", p.User.Role, len(list), err)
		}
	}
	_, err = e.app.Audits(e.ctx, employee)
	wantCode(t, "employee lists", err, assay.EFORBIDDEN)
	_, err = e.app.SetAuditStatus(e.ctx, member, one.ID, assay.AuditFieldwork)
	wantCode(t, "member moves", err, assay.EFORBIDDEN)
	_, err = e.app.SetAuditStatus(e.ctx, admin, one.ID, "done")
	wantCode(t, "bogus status", err, assay.EINVALID)
	if a, err := e.app.SetAuditStatus(e.ctx, admin, one.ID, assay.AuditFieldwork); err != nil || a.Status != assay.AuditFieldwork {
		t.Fatalf("admin moves: %+v %v", a, err)
	}

	exp := time.Date(2028, 6, 30, 0, 0, 0, 0, time.UTC)
	inv := app.AuditorInvite{Email: "ext@firm.example", Name: "Ext", Expires: &exp, DateOnly: true}
	_, err = e.app.InviteAuditor(e.ctx, member, one.ID, inv)
	wantCode(t, "member invites", err, assay.EFORBIDDEN)
	_, err = e.app.InviteAuditor(e.ctx, admin, one.ID, app.AuditorInvite{Email: "ext@firm.example", Name: "Ext"})
	wantCode(t, "no expiry", err, assay.EINVALID)
	got, err := e.app.InviteAuditor(e.ctx, admin, one.ID, inv)
	if err != nil || got.Password == "" || got.User.EngagementID != one.ID || !got.User.AccessExpiresAt.Equal(exp.Add(24*time.Hour-time.Second)) {
		t.Fatalf("invite: %+v %v", got, err)
	}
	ext := e.app.PrincipalFor(got.User, "cli")
	if list, err := e.app.Audits(e.ctx, ext); err != nil || len(list) != 1 || list[0].ID != one.ID {
		t.Fatalf("invited auditor lists: %+v %v", list, err)
	}
	_, err = e.app.Audit(e.ctx, ext, two.ID)
	wantCode(t, "invited auditor opens another", err, assay.ENOTFOUND)
	_, err = e.app.AuditPeriod(e.ctx, ext, two.ID)
	wantCode(t, "invited auditor's other period", err, assay.ENOTFOUND)
	_, err = e.app.CreateAuditSample(e.ctx, ext, two.ID, assay.NewSample{Population: "people", Size: 1})
	wantCode(t, "invited auditor samples another", err, assay.ENOTFOUND)
	_, err = e.app.CreateAuditSample(e.ctx, member, one.ID, assay.NewSample{Population: "people", Size: 1})
	wantCode(t, "member samples", err, assay.EFORBIDDEN)
	if auditors, err := e.app.AuditAuditors(e.ctx, admin, one.ID); err != nil || len(auditors) != 1 {
		t.Fatalf("auditors: %+v %v", auditors, err)
	}
}
