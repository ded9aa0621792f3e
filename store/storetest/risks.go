package storetest

import (
	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/ledger"
)

var riskTests = []subtest{
	{"RiskRegisterCreateUpdate", testRiskCreateUpdate},
	{"RiskBadInputChangesNothing", testRiskBadInput},
	{"RiskTenancy", testRiskTenancy},
	{"RiskAssessmentReadiness", testRiskAssessmentReadiness},
}

func newRisk(title string) assay.Risk {
	return assay.Risk{Category: "security", Title: title, Likelihood: 4, Impact: 3, ResidualLikelihood: 2, ResidualImpact: 3}
}

func testRiskCreateUpdate(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	owner := e.User(o, "owner@acme.test", assay.RoleMember)
	r := newRisk("  Stolen laptops ")
	r.OwnerID = owner.ID
	r.Controls = []string{"ac-02", "AC-01", "AC-01"}
	got := must(o.CreateRisks(e.Ctx, Actor, []assay.Risk{r})).get(t)
	if len(got) != 1 || got[0].Title != "Stolen laptops" || got[0].OwnerName != owner.Name || got[0].Status != assay.RiskOpen ||
		got[0].InherentScore() != 12 || got[0].ResidualScore() != 6 {
		t.Fatalf("created %+v", got)
	}
	jsonEq(t, got[0].Controls, []string{"AC-01", "AC-02"}, "linked controls")
	jsonEq(t, must(o.Risk(e.Ctx, got[0].ID)).get(t), got[0], "risk read back")

	upd := got[0]
	upd.Treatment = assay.TreatAccept
	upd.ApproverID = owner.ID
	exp := Epoch.AddDate(0, 6, 0)
	upd.AcceptExpires = &exp
	upd.Status = assay.RiskTreated
	after := must(o.UpdateRisk(e.Ctx, Actor, upd.ID, upd)).get(t)
	if after.Treatment != assay.TreatAccept || after.ApproverName != owner.Name || after.AcceptExpires == nil || !after.AcceptExpires.Equal(exp) {
		t.Fatalf("updated %+v", after)
	}
	var actions []string
	for _, x := range e.Activity(o) {
		if x.ObjectType == "risk" {
			actions = append(actions, x.Action)
		}
	}
	jsonEq(t, actions, []string{"risk.update", "risk.create"}, "risk audit trail")
	e.Verify(ledger.Options{})
}

func testRiskBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	stranger := e.User(other, "x@other.test", assay.RoleAdmin)
	good := newRisk("Fine")
	before := len(e.Activity(o))
	for name, mod := range map[string]func(r *assay.Risk){
		"likelihood 0":       func(r *assay.Risk) { r.Likelihood = 0 },
		"impact 6":           func(r *assay.Risk) { r.Impact = 6 },
		"no title":           func(r *assay.Risk) { r.Title = " " },
		"unknown category":   func(r *assay.Risk) { r.Category = "weather" },
		"residual above":     func(r *assay.Risk) { r.ResidualLikelihood, r.ResidualImpact = 5, 5 },
		"accept no approver": func(r *assay.Risk) { r.Treatment = assay.TreatAccept },
		"unknown treatment":  func(r *assay.Risk) { r.Treatment = "ignore" },
		"foreign owner":      func(r *assay.Risk) { r.OwnerID = stranger.ID },
		"unknown control":    func(r *assay.Risk) { r.Controls = []string{"NOPE-1"} },
	} {
		bad := newRisk("Bad")
		mod(&bad)
		// The good risk first: the batch is all-or-nothing.
		_, err := o.CreateRisks(e.Ctx, Actor, []assay.Risk{good, bad})
		wantCode(t, err, assay.EINVALID, name)
	}
	if n := len(must(o.Risks(e.Ctx)).get(t)); n != 0 {
		t.Fatalf("%d risks written by refused batches", n)
	}
	if n := len(e.Activity(o)); n != before {
		t.Fatalf("activity grew from %d to %d", before, n)
	}
	_, err := o.UpdateRisk(e.Ctx, Actor, 999, good)
	wantCode(t, err, assay.ENOTFOUND, "update a missing risk")
	_, err = o.CreateRiskAssessment(e.Ctx, Actor, assay.RiskAssessment{Date: Epoch, Summary: "x"})
	wantCode(t, err, assay.EINVALID, "assessment without approver")
	_, err = o.CreateRiskAssessment(e.Ctx, Actor, assay.RiskAssessment{Date: Epoch.AddDate(0, 0, 2), Summary: "x", ApproverID: 1})
	wantCode(t, err, assay.EINVALID, "assessment in the future")
}

func testRiskTenancy(e *Env) {
	t := e.T
	_, a := e.Org("a")
	_, b := e.Org("b")
	r := must(a.CreateRisks(e.Ctx, Actor, []assay.Risk{newRisk("A's risk")})).get(t)[0]
	_, err := b.Risk(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's risk")
	_, err = b.UpdateRisk(e.Ctx, Actor, r.ID, newRisk("taken"))
	wantCode(t, err, assay.ENOTFOUND, "update another org's risk")
	if l := must(b.Risks(e.Ctx)).get(t); len(l) != 0 {
		t.Fatalf("b sees %d risks", len(l))
	}
}

// registerCriteria adds CC3.1-CC3.4 and CC9.2 to the suite's criteria.
func registerCriteria() []assay.Criterion {
	out := Criteria()
	for _, id := range []string{"CC3.1", "CC3.2", "CC3.3", "CC3.4", "CC9.2"} {
		out = append(out, assay.Criterion{ID: id, Category: assay.CategorySecurity, Series: id[:3], Title: id})
	}
	return out
}

func metOf(r assay.Readiness, id string) (bool, string) {
	for _, c := range r.Criteria {
		if c.ID == id {
			return c.Met, c.Reason
		}
	}
	return false, "not in scope"
}

func testRiskAssessmentReadiness(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	admin := e.User(o, "admin@acme.test", assay.RoleAdmin)
	crit := registerCriteria()
	// The suite's store knows only its own criteria, so the rule the store
	// builds is applied to one implemented control mapped to every
	// criterion: only the register conditions can hold a criterion back.
	ctl := assay.Control{ID: "X-01", Name: "All", Status: assay.StatusImplemented}
	for _, c := range crit {
		ctl.Criteria = append(ctl.Criteria, c.ID)
	}
	ready := func() assay.Readiness {
		rule := must(rules.RegisterRule(e.Ctx, o, e.Clock.Now(), assay.ReadinessRule{})).get(t)
		return rule.Compute(e.Clock.Now(), crit, assay.Scope{}, []assay.Control{ctl})
	}
	if met, why := metOf(ready(), "CC3.1"); met || why == "" {
		t.Fatalf("CC3.1 met with no assessment: %v %q", met, why)
	}
	must(o.CreateRisks(e.Ctx, Actor, []assay.Risk{newRisk("One")})).get(t)
	a := must(o.CreateRiskAssessment(e.Ctx, Actor, assay.RiskAssessment{Date: Epoch.AddDate(0, -1, 0), Summary: "Reviewed the register.", ApproverID: admin.ID})).get(t)
	if a.Risks != 1 || a.OpenRisks != 1 || a.ApproverName != admin.Name {
		t.Fatalf("assessment %+v", a)
	}
	if met, why := metOf(ready(), "CC3.3"); !met {
		t.Fatalf("CC3.3 not met after an assessment: %q", why)
	}
	if met, _ := metOf(ready(), "CC6.1"); !met {
		t.Fatal("CC6.1 affected by the register condition")
	}
	// A high-tier vendor without a review holds CC9.2 back.
	v := must(o.CreateVendors(e.Ctx, Actor, []assay.Vendor{{Name: "Cloudy", Classification: assay.DataRestricted, Criticality: assay.TierLow}})).get(t)[0]
	if met, why := metOf(ready(), "CC9.2"); met || why == "" {
		t.Fatalf("CC9.2 met with an unreviewed high-tier vendor: %q", why)
	}
	must(o.RecordVendorReview(e.Ctx, Actor, v.ID, testQuestions, map[string]string{"VQ-01": "yes", "VQ-02": "no"})).get(t)
	if met, why := metOf(ready(), "CC9.2"); !met {
		t.Fatalf("CC9.2 not met after the review: %q", why)
	}
	// Thirteen months on, the assessment and the review are stale.
	e.Clock.T = Epoch.AddDate(1, 1, 0)
	if met, _ := metOf(ready(), "CC3.1"); met {
		t.Fatal("CC3.1 met with a stale assessment")
	}
	if met, _ := metOf(ready(), "CC9.2"); met {
		t.Fatal("CC9.2 met with a stale review")
	}
	e.Clock.T = Epoch
}
