package storetest

import (
	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

var vendorTests = []subtest{
	{"VendorCreateUpdateReview", testVendorCreateUpdateReview},
	{"VendorBadInputChangesNothing", testVendorBadInput},
	{"VendorTenancy", testVendorTenancy},
}

// testQuestions is a small questionnaire for the suite.
var testQuestions = []assay.VendorQuestion{{ID: "VQ-01", Area: "a", Text: "One?", Weight: 3}, {ID: "VQ-02", Area: "a", Text: "Two?", Weight: 1}}

func newVendor(name string) assay.Vendor {
	return assay.Vendor{Name: name, Services: "Email", Classification: assay.DataInternal, Criticality: assay.TierMedium}
}

func testVendorCreateUpdateReview(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	owner := e.User(o, "owner@acme.test", assay.RoleMember)
	v := newVendor(" Mailer ")
	v.OwnerID = owner.ID
	v.Clauses = []string{"security", "breach_notification"}
	soc2 := Epoch.AddDate(0, -3, 0)
	v.SOC2PeriodEnd = &soc2
	got := must(o.CreateVendors(e.Ctx, Actor, []assay.Vendor{v})).get(t)[0]
	if got.Name != "Mailer" || got.OwnerName != owner.Name || got.Tier() != assay.TierMedium || got.ReviewedAt != nil {
		t.Fatalf("created %+v", got)
	}
	jsonEq(t, got.Clauses, []string{"breach_notification", "security"}, "clauses")
	jsonEq(t, must(o.Vendor(e.Ctx, got.ID)).get(t), got, "vendor read back")
	if got.SOC2State(Epoch) != assay.SOC2Current || got.SOC2State(Epoch.AddDate(0, 8, 10)) != assay.SOC2Expiring || got.SOC2State(Epoch.AddDate(0, 9, 1)) != assay.SOC2Stale {
		t.Fatal("SOC 2 report states")
	}

	upd := got
	upd.TierOverride, upd.TierOverrideReason = assay.TierHigh, "Holds payroll exports"
	after := must(o.UpdateVendor(e.Ctx, Actor, got.ID, upd)).get(t)
	if after.Tier() != assay.TierHigh || after.ComputedTier() != assay.TierMedium {
		t.Fatalf("override: %+v", after)
	}
	reviewed := must(o.RecordVendorReview(e.Ctx, Actor, got.ID, testQuestions, map[string]string{"VQ-01": "yes", "VQ-02": "no"})).get(t)
	if reviewed.ReviewScore != 75 || reviewed.ReviewedAt == nil || !reviewed.NextReviewDue().Equal(reviewed.ReviewedAt.AddDate(1, 0, 0)) {
		t.Fatalf("review %+v", reviewed)
	}
	var actions []string
	for _, x := range e.Activity(o) {
		if x.ObjectType == "vendor" {
			actions = append(actions, x.Action)
		}
	}
	jsonEq(t, actions, []string{"vendor.review", "vendor.update", "vendor.create"}, "vendor audit trail")
	e.Verify(ledger.Options{})
}

func testVendorBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	good := must(o.CreateVendors(e.Ctx, Actor, []assay.Vendor{newVendor("Existing")})).get(t)[0]
	before := len(e.Activity(o))
	for name, c := range map[string]struct {
		mod  func(v *assay.Vendor)
		code string
	}{
		"no name":            {func(v *assay.Vendor) { v.Name = "" }, assay.EINVALID},
		"bad classification": {func(v *assay.Vendor) { v.Classification = "secret" }, assay.EINVALID},
		"bad criticality":    {func(v *assay.Vendor) { v.Criticality = "extreme" }, assay.EINVALID},
		"override no reason": {func(v *assay.Vendor) { v.TierOverride = assay.TierLow }, assay.EINVALID},
		"bad clause":         {func(v *assay.Vendor) { v.Clauses = []string{"golf"} }, assay.EINVALID},
		"missing evidence":   {func(v *assay.Vendor) { v.SOC2EvidenceID = 4242 }, assay.EINVALID},
		"end before start":   {func(v *assay.Vendor) { v.ContractStart, v.ContractEnd = ptr(Epoch), ptr(Epoch.AddDate(0, 0, -1)) }, assay.EINVALID},
		"duplicate name":     {func(v *assay.Vendor) { v.Name = "Existing" }, assay.ECONFLICT},
	} {
		bad := newVendor("Bad")
		c.mod(&bad)
		_, err := o.CreateVendors(e.Ctx, Actor, []assay.Vendor{newVendor("Fine"), bad})
		wantCode(t, err, c.code, name)
	}
	if n := len(must(o.Vendors(e.Ctx)).get(t)); n != 1 {
		t.Fatalf("%d vendors after refused batches", n)
	}
	_, err := o.RecordVendorReview(e.Ctx, Actor, good.ID, testQuestions, map[string]string{"VQ-01": "yes"})
	wantCode(t, err, assay.EINVALID, "unanswered question")
	_, err = o.RecordVendorReview(e.Ctx, Actor, good.ID, testQuestions, map[string]string{"VQ-01": "maybe", "VQ-02": "yes"})
	wantCode(t, err, assay.EINVALID, "bad answer")
	if n := len(e.Activity(o)); n != before {
		t.Fatalf("activity grew from %d to %d", before, n)
	}
}

func testVendorTenancy(e *Env) {
	t := e.T
	_, a := e.Org("a")
	_, b := e.Org("b")
	v := must(a.CreateVendors(e.Ctx, Actor, []assay.Vendor{newVendor("A's vendor")})).get(t)[0]
	_, err := b.Vendor(e.Ctx, v.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's vendor")
	_, err = b.UpdateVendor(e.Ctx, Actor, v.ID, newVendor("taken"))
	wantCode(t, err, assay.ENOTFOUND, "update another org's vendor")
	_, err = b.RecordVendorReview(e.Ctx, Actor, v.ID, testQuestions, map[string]string{"VQ-01": "yes", "VQ-02": "yes"})
	wantCode(t, err, assay.ENOTFOUND, "review another org's vendor")
	// Same name in another organisation is fine.
	must(b.CreateVendors(e.Ctx, Actor, []assay.Vendor{newVendor("A's vendor")})).get(t)
}
