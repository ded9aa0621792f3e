package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
)

// Only those who manage the registers get what an import file may name, and
// record risk assessments.
func TestRegisterImportAndAssessmentAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	if _, err := e.app.RegisterImportRefs(e.ctx, member); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member got the import references: %v", err)
	}
	if _, err := e.app.CreateVendors(e.ctx, admin, []assay.Vendor{{Name: "Paystream", Classification: "restricted", Criticality: "high"}}); err != nil {
		t.Fatal(err)
	}
	refs, err := e.app.RegisterImportRefs(e.ctx, admin)
	if err != nil || refs.UserByEmail["member@acme.example"] != member.User.ID || !refs.Controls["ACC-01"] || !refs.VendorNames["paystream"] {
		t.Fatalf("an admin's import references: %+v %v", refs, err)
	}
	ra := assay.RiskAssessment{Date: e.clock.Now().AddDate(0, -1, 0), Summary: "Annual", ApproverID: admin.User.ID}
	if _, err := e.app.CreateRiskAssessment(e.ctx, member, ra); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member recorded an assessment: %v", err)
	}
	if list, err := e.app.RiskAssessments(e.ctx, admin); err != nil || len(list) != 0 {
		t.Fatalf("the refused assessment was written: %v %v", list, err)
	}
	if got, err := e.app.CreateRiskAssessment(e.ctx, admin, ra); err != nil || got.ApproverName == "" {
		t.Fatalf("an admin records an assessment: %+v %v", got, err)
	}
}
