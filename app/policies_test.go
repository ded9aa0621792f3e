package app_test

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// policyEnv is the services with one user of every role, a person on the
// roster for the admin and the employee, and one adopted template.
type policyEnv struct {
	*env
	admin, second, member, auditor, viewer, employee app.Principal
	pol                                              assay.Policy
}

func newPolicyEnv(t *testing.T) *policyEnv {
	t.Helper()
	e := &policyEnv{env: newEnv(t)}
	e.admin = e.principal(t, assay.RoleAdmin)
	e.member = e.principal(t, assay.RoleMember)
	e.auditor = e.principal(t, assay.RoleAuditor)
	e.viewer = e.principal(t, assay.RoleViewer)
	e.employee = e.principal(t, assay.RoleEmployee)
	u, err := e.db.Org(e.org.ID).CreateUser(e.ctx, assay.SystemActor,
		assay.NewUser{Email: "second@acme.example", Name: "Second", Role: assay.RoleAdmin, Password: "long enough password"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	e.second = e.app.PrincipalFor(u, "cli")
	for _, email := range []string{"employee@acme.example", "admin@acme.example", "someone@acme.example"} {
		if _, err := e.db.Org(e.org.ID).CreatePerson(e.ctx, assay.SystemActor, assay.NewPerson{Name: strings.Split(email, "@")[0], Email: email,
			Department: "Engineering", EmploymentType: assay.EmploymentEmployee}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.app.AdoptPolicyTemplates(e.ctx, e.admin, []string{"information-security"}, app.PolicyAdoption{})
	if err != nil || len(got) != 1 || got[0].OwnerID != e.admin.User.ID {
		t.Fatalf("adopt: %+v %v", got, err)
	}
	e.pol = got[0]
	return e
}

// publish takes the policy's latest version from draft to published: the
// admin edited it, so the second admin approves.
func (e *policyEnv) publish(t *testing.T) assay.PolicyVersion {
	t.Helper()
	d, err := e.app.Policy(e.ctx, e.admin, e.pol.ID)
	if err != nil {
		t.Fatal(err)
	}
	vid := d.Versions[0].ID
	var v assay.PolicyVersion
	for _, step := range []struct {
		p  app.Principal
		to assay.PolicyStatus
	}{{e.admin, assay.PolicyInReview}, {e.second, assay.PolicyApproved}, {e.admin, assay.PolicyPublished}} {
		if v, err = e.app.MovePolicyVersion(e.ctx, step.p, e.pol.ID, vid, step.to); err != nil {
			t.Fatalf("to %s: %v", step.to, err)
		}
	}
	return v
}

// Every role that reads the program reads the policies; an employee does
// not (their policies are in the portal); only admins change them.
func TestPolicyReadAndManageByRole(t *testing.T) {
	e := newPolicyEnv(t)
	for _, p := range []app.Principal{e.admin, e.member, e.auditor, e.viewer} {
		if list, err := e.app.Policies(e.ctx, p); err != nil || len(list) != 1 {
			t.Fatalf("%s lists policies: %d %v", p.User.Role, len(list), err)
		}
		if d, err := e.app.Policy(e.ctx, p, e.pol.ID); err != nil || len(d.Versions) != 1 || d.Policy.Title == "" {
			t.Fatalf("%s reads the policy: %+v %v", p.User.Role, d, err)
		}
		if _, err := e.app.PolicyAcceptances(e.ctx, p, e.pol.ID); err != nil {
			t.Fatalf("%s reads acceptances: %v", p.User.Role, err)
		}
	}
	_, err := e.app.Policies(e.ctx, e.employee)
	wantCode(t, "employee lists policies", err, assay.EFORBIDDEN)
	_, err = e.app.Policy(e.ctx, e.employee, e.pol.ID)
	wantCode(t, "employee reads a policy", err, assay.EFORBIDDEN)
	_, err = e.app.DiffPolicy(e.ctx, e.employee, e.pol.ID, "", "")
	wantCode(t, "employee diffs", err, assay.EFORBIDDEN)

	title := "Renamed"
	for _, p := range []app.Principal{e.member, e.auditor, e.viewer, e.employee} {
		_, err := e.app.AdoptPolicy(e.ctx, p, app.PolicyAdoption{Title: "Mine", Body: "# Mine\n"})
		wantCode(t, string(p.User.Role)+" adopts", err, assay.EFORBIDDEN)
		_, err = e.app.EditPolicy(e.ctx, p, e.pol.ID, assay.PolicyEdit{Body: "changed"})
		wantCode(t, string(p.User.Role)+" edits", err, assay.EFORBIDDEN)
		_, err = e.app.UpdatePolicy(e.ctx, p, e.pol.ID, assay.PolicyPatch{Title: &title})
		wantCode(t, string(p.User.Role)+" renames", err, assay.EFORBIDDEN)
		_, err = e.app.MovePolicyVersion(e.ctx, p, e.pol.ID, e.pol.Latest.ID, assay.PolicyInReview)
		wantCode(t, string(p.User.Role)+" submits", err, assay.EFORBIDDEN)
	}
	d, err := e.app.Policy(e.ctx, e.admin, e.pol.ID)
	if err != nil || d.Policy.Title == title || d.Versions[0].Status != assay.PolicyDraft || d.Versions[0].Body == "changed" {
		t.Fatalf("a refusal changed the policy: %+v %v", d.Policy, err)
	}
}

// A version is approved by a named person other than its last editor.
func TestPolicyApproverIsNotTheEditor(t *testing.T) {
	e := newPolicyEnv(t)
	v, err := e.app.EditPolicy(e.ctx, e.admin, e.pol.ID, assay.PolicyEdit{Body: "# Security\n\nRevised by the admin.\n"})
	if err != nil || v.EditedByID != e.admin.User.ID {
		t.Fatalf("edit: %+v %v", v, err)
	}
	if _, err := e.app.MovePolicyVersion(e.ctx, e.admin, e.pol.ID, v.ID, assay.PolicyInReview); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.MovePolicyVersion(e.ctx, e.admin, e.pol.ID, v.ID, assay.PolicyApproved)
	wantCode(t, "the editor approves", err, assay.EFORBIDDEN)
	if !strings.Contains(assay.ErrorMessage(err), "someone else must approve") {
		t.Fatalf("message: %v", err)
	}
	op := e.app.OperatorPrincipal(e.org, "assay policy")
	_, err = e.app.MovePolicyVersion(e.ctx, op, e.pol.ID, v.ID, assay.PolicyApproved)
	wantCode(t, "the operator approves", err, assay.EFORBIDDEN)
	got, err := e.app.PolicyVersion(e.ctx, e.viewer, e.pol.ID, v.ID)
	if err != nil || got.Status != assay.PolicyInReview || got.ApprovedByID != 0 {
		t.Fatalf("after the refusals: %+v %v", got, err)
	}
	if got, err = e.app.MovePolicyVersion(e.ctx, e.second, e.pol.ID, v.ID, assay.PolicyApproved); err != nil || got.ApprovedByID != e.second.User.ID {
		t.Fatalf("second admin approves: %+v %v", got, err)
	}
	// A version of another policy is not found through this one.
	other, err := e.app.AdoptPolicy(e.ctx, e.admin, app.PolicyAdoption{Title: "Other", Body: "# Other\n"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.app.MovePolicyVersion(e.ctx, e.admin, other.ID, v.ID, assay.PolicyPublished)
	wantCode(t, "a version through another policy", err, assay.ENOTFOUND)
	if got, _ := e.app.PolicyVersion(e.ctx, e.admin, e.pol.ID, v.ID); got.Status != assay.PolicyApproved {
		t.Fatalf("the version moved: %s", got.Status)
	}
}

// An employee accepts for themself only, what applies to them, once it
// is published; an admin records acceptance on someone's behalf.
func TestPolicyAcceptance(t *testing.T) {
	e := newPolicyEnv(t)
	_, err := e.app.AcceptPolicy(e.ctx, e.employee, e.pol.ID)
	wantCode(t, "accept a draft", err, assay.ENOTFOUND)
	v := e.publish(t)

	pp, err := e.app.PortalPolicy(e.ctx, e.employee, v.ID)
	if err != nil || !pp.Pending || pp.Person.Email != "employee@acme.example" {
		t.Fatalf("portal policy: %+v %v", pp, err)
	}
	a, err := e.app.AcceptPolicy(e.ctx, e.employee, e.pol.ID)
	if err != nil || a.PersonEmail != "employee@acme.example" || a.ByUserID != e.employee.User.ID || a.VersionID != v.ID {
		t.Fatalf("employee accepts: %+v %v", a, err)
	}
	// Recording for someone else is an admin's.
	someone := personID(t, e, "someone@acme.example")
	_, err = e.app.RecordPolicyAcceptance(e.ctx, e.employee, e.pol.ID, someone, v.ID)
	wantCode(t, "employee records for someone", err, assay.EFORBIDDEN)
	_, err = e.app.RecordPolicyAcceptance(e.ctx, e.member, e.pol.ID, someone, 0)
	wantCode(t, "member records for someone", err, assay.EFORBIDDEN)
	list, err := e.app.PolicyAcceptances(e.ctx, e.auditor, e.pol.ID)
	if err != nil || list.Count != 1 || len(list.Figures) != 1 || list.Figures[0].Accepted != 1 {
		t.Fatalf("acceptances after the refusals: %+v %v", list, err)
	}
	a, err = e.app.RecordPolicyAcceptance(e.ctx, e.admin, e.pol.ID, someone, 0)
	if err != nil || a.PersonID != someone || a.ByUserID != e.admin.User.ID {
		t.Fatalf("admin records: %+v %v", a, err)
	}
	// The operator is no one on the roster: they cannot accept for themself.
	_, err = e.app.AcceptPolicy(e.ctx, e.app.OperatorPrincipal(e.org, "assay policy"), e.pol.ID)
	wantCode(t, "operator accepts", err, assay.EFORBIDDEN)
	// A user not on the roster is told so.
	_, err = e.app.AcceptPolicy(e.ctx, e.member, e.pol.ID)
	wantCode(t, "member not on the roster", err, assay.ENOTFOUND)

	// A policy that does not apply to the employee is not found for them.
	sales := assay.PolicyScope{Departments: []string{"Sales"}}
	if _, err := e.app.UpdatePolicy(e.ctx, e.admin, e.pol.ID, assay.PolicyPatch{AppliesTo: &sales}); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.PortalPolicy(e.ctx, e.employee, v.ID)
	wantCode(t, "portal policy out of scope", err, assay.ENOTFOUND)
}

// The diff names versions by number or id, and bad names change nothing.
func TestPolicyDiffAndVersions(t *testing.T) {
	e := newPolicyEnv(t)
	e.publish(t)
	v2, err := e.app.EditPolicy(e.ctx, e.admin, e.pol.ID, assay.PolicyEdit{Body: "# Security\n\nA new line.\n", Changelog: "Shorter", Bump: "minor"})
	if err != nil || v2.Version != "1.1" {
		t.Fatalf("new version: %+v %v", v2, err)
	}
	d, err := e.app.DiffPolicy(e.ctx, e.viewer, e.pol.ID, "1.0", "1.1")
	if err != nil || d.From.Version != "1.0" || d.To.ID != v2.ID || d.Added == 0 || d.Removed == 0 {
		t.Fatalf("diff: %+v %v", d, err)
	}
	if _, err := e.app.DiffPolicy(e.ctx, e.viewer, e.pol.ID, "9.9", ""); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("diff from 9.9: %v", err)
	}
	if v, err := e.app.FindPolicyVersion(e.ctx, e.viewer, e.pol.ID, ""); err != nil || v.ID != v2.ID {
		t.Fatalf("latest: %+v %v", v, err)
	}
	_, _, err = e.app.PolicyDownload(e.ctx, e.viewer, e.pol.ID, v2.ID)
	wantCode(t, "download a draft", err, assay.ECONFLICT)
	// Unknown or adopted templates are refused before anything is adopted.
	if _, err := e.app.AdoptPolicyTemplates(e.ctx, e.admin, []string{"no-such-template"}, app.PolicyAdoption{}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("adopt an unknown template: %v", err)
	}
	if _, err := e.app.AdoptPolicyTemplates(e.ctx, e.admin, []string{"backup", "information-security"}, app.PolicyAdoption{}); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Fatalf("adopt an adopted template: %v", err)
	}
	if list, _ := e.app.Policies(e.ctx, e.admin); len(list) != 1 {
		t.Fatalf("refused adoptions added %d policies", len(list)-1)
	}
}

func personID(t *testing.T, e *policyEnv, email string) int64 {
	t.Helper()
	p, err := e.db.Org(e.org.ID).PersonByEmail(e.ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}
