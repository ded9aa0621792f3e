package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var policyTests = []subtest{
	{"PolicyLifecycle", testPolicyLifecycle},
	{"PolicyRefusesBadInput", testPolicyBadInput},
	{"PolicyAcceptanceMajorMinor", testPolicyAcceptance},
	{"OnboardingPoliciesItem", testOnboardingPoliciesItem},
	{"PolicyScopeAndFigures", testPolicyFigures},
	{"PolicyTenancy", testPolicyTenancy},
	{"PolicyReadinessAndReviews", testPolicyReadiness},
	{"PolicyAcceptanceSetsMatchPerPerson", testAcceptanceSetsMatchPerPerson}, // policy_acceptance_sets.go
}

const policyBody = "# Acceptable use\n\n{{company}} devices are for work.\n\n1. Lock your screen.\n2. Report loss.\n\nEffective {{effective_date}}.\n"

// policyActors are two admins: the author and the approver.
func (e *Env) policyActors(o store.OrgStore) (author, approver assay.Actor) {
	a := e.User(o, "policy.author@acme.example", assay.RoleAdmin)
	b := e.User(o, "policy.approver@acme.example", assay.RoleAdmin)
	return assay.Actor{UserID: a.ID, Name: "Ann Author", Via: "web"}, assay.Actor{UserID: b.ID, Name: "Bob Approver", Via: "web"}
}

func (e *Env) policyPerson(o store.OrgStore, name, dept string, typ assay.EmploymentType) assay.Person {
	e.T.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@people.example"
	return must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: name, Email: email, Department: dept, EmploymentType: typ})).get(e.T)
}

// publish takes a version from draft to published.
func (e *Env) publish(o store.OrgStore, author, approver assay.Actor, vid int64) assay.PolicyVersion {
	e.T.Helper()
	must(o.MovePolicyVersion(e.Ctx, author, vid, assay.PolicyInReview)).get(e.T)
	must(o.MovePolicyVersion(e.Ctx, approver, vid, assay.PolicyApproved)).get(e.T)
	return must(o.MovePolicyVersion(e.Ctx, approver, vid, assay.PolicyPublished)).get(e.T)
}

func testPolicyLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{TemplateID: "acceptable-use", Title: " Acceptable Use ", Controls: []string{"GV-01"},
		Body: policyBody, OwnerID: author.UserID})).get(t)
	if p.Title != "Acceptable Use" || p.ReviewMonths != 12 || p.Latest == nil || p.Latest.Version != "1.0" || p.Latest.Status != assay.PolicyDraft ||
		p.Published != nil || p.OwnerName == "" || !p.AppliesTo.All() || p.ReviewedAt != nil {
		t.Fatalf("adopted = %+v", p)
	}
	v1 := p.Latest
	// Editing a draft changes it in place.
	v := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "\n3. Use the VPN.\n"})).get(t)
	if v.ID != v1.ID || v.Version != "1.0" || !strings.Contains(v.Body, "VPN") {
		t.Fatalf("edited draft = %+v", v)
	}
	must(o.MovePolicyVersion(e.Ctx, author, v.ID, assay.PolicyInReview)).get(t)
	// In review: no editing, and the author cannot approve their own text.
	_, err := o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: "changed"})
	wantCode(t, err, assay.ECONFLICT, "edit in review")
	_, err = o.MovePolicyVersion(e.Ctx, author, v.ID, assay.PolicyApproved)
	wantCode(t, err, assay.EFORBIDDEN, "self-approval")
	_, err = o.MovePolicyVersion(e.Ctx, approver, v.ID, assay.PolicyPublished)
	wantCode(t, err, assay.ECONFLICT, "publish before approval")
	e.Clock.Advance(time.Hour)
	v = must(o.MovePolicyVersion(e.Ctx, approver, v.ID, assay.PolicyApproved)).get(t)
	if v.ApprovedByID != approver.UserID || v.ApprovedByName != "Bob Approver" || v.ApprovedAt == nil || !v.ApprovedAt.Equal(e.Clock.Now()) {
		t.Fatalf("approved = %+v", v)
	}
	e.Clock.Advance(time.Hour)
	v = must(o.MovePolicyVersion(e.Ctx, approver, v.ID, assay.PolicyPublished)).get(t)
	if v.Status != assay.PolicyPublished || v.PublishedAt == nil || strings.Contains(v.Body, "{{effective_date}}") || !strings.Contains(v.Body, "2 March 2026") {
		t.Fatalf("published = %+v", v)
	}
	p = must(o.Policy(e.Ctx, p.ID)).get(t)
	if p.Published == nil || p.Published.ID != v.ID || p.ReviewedAt == nil || !p.ReviewedAt.Equal(e.Clock.Now()) {
		t.Fatalf("policy after publish = %+v", p)
	}
	// Editing a published policy starts a new version; a changelog is required.
	_, err = o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody, Bump: "minor"})
	wantCode(t, err, assay.EINVALID, "new version without changelog")
	v2 := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "\n4. New rule.\n", Bump: "major", Changelog: "Adds rule 4."})).get(t)
	if v2.Version != "2.0" || v2.Status != assay.PolicyDraft || v2.Changelog != "Adds rule 4." || v2.ID == v.ID {
		t.Fatalf("v2 = %+v", v2)
	}
	// Sent back from review, it is a draft again.
	must(o.MovePolicyVersion(e.Ctx, author, v2.ID, assay.PolicyInReview)).get(t)
	must(o.MovePolicyVersion(e.Ctx, approver, v2.ID, assay.PolicyDraft)).get(t)
	v2 = e.publish(o, author, approver, v2.ID)
	old := must(o.PolicyVersion(e.Ctx, v.ID)).get(t)
	if old.Status != assay.PolicyRetired || old.RetiredAt == nil {
		t.Fatalf("previous version = %+v", old)
	}
	versions := must(o.PolicyVersions(e.Ctx, p.ID)).get(t)
	if len(versions) != 2 || versions[0].Version != "2.0" || versions[1].Version != "1.0" {
		t.Fatalf("versions = %+v", versions)
	}
	// Retiring the policy leaves no published version.
	must(o.MovePolicyVersion(e.Ctx, approver, v2.ID, assay.PolicyRetired)).get(t)
	p = must(o.Policy(e.Ctx, p.ID)).get(t)
	if p.Published != nil || p.Latest.Status != assay.PolicyRetired {
		t.Fatalf("retired policy = %+v", p)
	}
	// A retired policy can start again with a new version.
	v3 := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody, Bump: "minor", Changelog: "Back."})).get(t)
	if v3.Version != "2.1" {
		t.Fatalf("v3 = %+v", v3)
	}
	var actions []string
	for _, a := range e.Activity(o) {
		if strings.HasPrefix(a.Action, "policy.") {
			actions = append(actions, a.Action)
		}
	}
	if len(actions) < 12 {
		t.Fatalf("policy activity = %v", actions)
	}
}

func testPolicyBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	before := len(e.Activity(o))
	for name, n := range map[string]assay.NewPolicy{
		"no title":       {Body: policyBody},
		"empty body":     {Title: "X", Body: "  "},
		"bad cadence":    {Title: "X", Body: policyBody, ReviewMonths: 40},
		"bad type":       {Title: "X", Body: policyBody, AppliesTo: assay.PolicyScope{EmploymentTypes: []string{"robot"}}},
		"unknown owner":  {Title: "X", Body: policyBody, OwnerID: 999999},
		"unknown contro": {Title: "X", Body: policyBody, Controls: []string{"NO-01"}},
	} {
		_, err := o.AdoptPolicy(e.Ctx, author, n)
		wantCode(t, err, assay.EINVALID, name)
	}
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{TemplateID: "backup", Title: "Backup", Body: policyBody})).get(t)
	_, err := o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{TemplateID: "backup", Title: "Backup again", Body: policyBody})
	wantCode(t, err, assay.ECONFLICT, "template adopted twice")
	mid := len(e.Activity(o))
	if mid != before+1 {
		t.Fatalf("activity grew by %d, want 1", mid-before)
	}
	_, err = o.MovePolicyVersion(e.Ctx, author, p.Latest.ID, "sideways")
	wantCode(t, err, assay.EINVALID, "unknown status")
	_, err = o.MovePolicyVersion(e.Ctx, author, p.Latest.ID, assay.PolicyPublished)
	wantCode(t, err, assay.ECONFLICT, "draft straight to published")
	_, err = o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody, Bump: "huge"})
	wantCode(t, err, assay.EINVALID, "bad bump")
	_, err = o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: ""})
	wantCode(t, err, assay.EINVALID, "empty edit")
	_, err = o.UpdatePolicy(e.Ctx, author, p.ID, assay.PolicyPatch{ReviewMonths: ptr(0)})
	wantCode(t, err, assay.EINVALID, "zero cadence")
	_, err = o.ReviewPolicy(e.Ctx, author, p.ID)
	wantCode(t, err, assay.ECONFLICT, "review of a draft")
	_, err = o.Policy(e.Ctx, 999999)
	wantCode(t, err, assay.ENOTFOUND, "missing policy")
	_, err = o.PolicyVersion(e.Ctx, 999999)
	wantCode(t, err, assay.ENOTFOUND, "missing version")
	person := e.policyPerson(o, "Dana Draft", "Sales", assay.EmploymentEmployee)
	_, err = o.AcceptPolicy(e.Ctx, approver, person.ID, p.Latest.ID)
	wantCode(t, err, assay.ECONFLICT, "accepting a draft")
	if got := len(e.Activity(o)); got != mid+1 { // +1: the person
		t.Fatalf("bad input wrote %d activity entries", got-mid-1)
	}
	got := must(o.Policy(e.Ctx, p.ID)).get(t)
	if got.Latest.Status != assay.PolicyDraft || got.ReviewMonths != 12 || got.Latest.Body != policyBody {
		t.Fatalf("policy changed: %+v", got)
	}
	// Settings change.
	got = must(o.UpdatePolicy(e.Ctx, author, p.ID, assay.PolicyPatch{ReviewMonths: ptr(6), Title: ptr("Backups"),
		AppliesTo: &assay.PolicyScope{Departments: []string{"Engineering", " engineering "}}})).get(t)
	if got.ReviewMonths != 6 || got.Title != "Backups" || len(got.AppliesTo.Departments) != 1 {
		t.Fatalf("updated = %+v", got)
	}
}

func testPolicyAcceptance(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	ann := e.policyPerson(o, "Ann Lee", "Engineering", assay.EmploymentEmployee)
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Code of Conduct", Body: policyBody})).get(t)
	if got := must(o.PoliciesToAccept(e.Ctx, ann.ID)).get(t); len(got) != 0 {
		t.Fatalf("drafts to accept: %+v", got)
	}
	v1 := e.publish(o, author, approver, p.Latest.ID)
	todo := must(o.PoliciesToAccept(e.Ctx, ann.ID)).get(t)
	if len(todo) != 1 || todo[0].ID != v1.ID || todo[0].PolicyTitle != "Code of Conduct" {
		t.Fatalf("to accept = %+v", todo)
	}
	a := must(o.AcceptPolicy(e.Ctx, author, ann.ID, v1.ID)).get(t)
	if a.PersonID != ann.ID || a.Version != "1.0" || a.PersonName != "Ann Lee" || !a.AcceptedAt.Equal(e.Clock.Now()) || a.ByName != "Ann Author" {
		t.Fatalf("acceptance = %+v", a)
	}
	again := must(o.AcceptPolicy(e.Ctx, author, ann.ID, v1.ID)).get(t)
	if again.ID != a.ID {
		t.Fatalf("second acceptance = %+v", again)
	}
	if got := must(o.PoliciesToAccept(e.Ctx, ann.ID)).get(t); len(got) != 0 {
		t.Fatalf("after accepting: %+v", got)
	}
	// A minor version does not ask again; the old acceptance counts.
	v11 := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "typo", Bump: "minor", Changelog: "Typo."})).get(t)
	e.publish(o, author, approver, v11.ID)
	if got := must(o.PoliciesToAccept(e.Ctx, ann.ID)).get(t); len(got) != 0 {
		t.Fatalf("minor version asks again: %+v", got)
	}
	figs := must(o.PolicyFigures(e.Ctx)).get(t)
	if len(figs) != 1 || figs[0].Accepted != 1 || figs[0].Required != 1 || figs[0].Version != "1.1" || !figs[0].Met() {
		t.Fatalf("figures after minor = %+v", figs)
	}
	// The retired 1.0 can no longer be accepted.
	bo := e.policyPerson(o, "Bo Chen", "Engineering", assay.EmploymentContractor)
	_, err := o.AcceptPolicy(e.Ctx, author, bo.ID, v1.ID)
	wantCode(t, err, assay.ECONFLICT, "accept a retired version")
	// A major version asks everyone again.
	v2 := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "new duty", Bump: "major", Changelog: "New duty."})).get(t)
	v2 = e.publish(o, author, approver, v2.ID)
	todo = must(o.PoliciesToAccept(e.Ctx, ann.ID)).get(t)
	if len(todo) != 1 || todo[0].ID != v2.ID || todo[0].Version != "2.0" {
		t.Fatalf("after major = %+v", todo)
	}
	figs = must(o.PolicyFigures(e.Ctx)).get(t)
	if figs[0].Accepted != 0 || figs[0].Required != 2 || figs[0].Met() || len(figs[0].Missing) != 2 {
		t.Fatalf("figures after major = %+v", figs)
	}
	if must(o.AcceptedMajors(e.Ctx)).get(t).Has(ann.ID, p.ID, 2) {
		t.Fatal("2.0 accepted before it was")
	}
	must(o.AcceptPolicy(e.Ctx, author, ann.ID, v2.ID)).get(t)
	if !must(o.AcceptedMajors(e.Ctx)).get(t).Has(ann.ID, p.ID, 2) { // what the store kept from the last read follows
		t.Fatal("2.0 not accepted after the acceptance")
	}
	list := must(o.PolicyAcceptances(e.Ctx, p.ID)).get(t)
	if len(list) != 2 || list[0].Version != "2.0" || list[1].Version != "1.0" {
		t.Fatalf("acceptances = %+v", list)
	}
	// A person who has left accepts nothing and is not counted.
	end := Epoch.AddDate(0, 0, -1)
	must(o.UpdatePerson(e.Ctx, Actor, bo.ID, assay.PersonPatch{EndDate: &end})).get(t)
	_, err = o.AcceptPolicy(e.Ctx, author, bo.ID, v2.ID)
	wantCode(t, err, assay.ECONFLICT, "departed person accepts")
	figs = must(o.PolicyFigures(e.Ctx)).get(t)
	if figs[0].Accepted != 1 || figs[0].Required != 1 || figs[0].Percent != 100 {
		t.Fatalf("figures without the departed = %+v", figs)
	}
}

func testPolicyFigures(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	eng := e.policyPerson(o, "Eve Eng", "Engineering", assay.EmploymentEmployee)
	con := e.policyPerson(o, "Carl Con", "engineering", assay.EmploymentContractor)
	sal := e.policyPerson(o, "Sam Sales", "Sales", assay.EmploymentEmployee)
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Secure Development", Body: policyBody,
		AppliesTo: assay.PolicyScope{Departments: []string{"Engineering"}, EmploymentTypes: []string{"employee", "contractor"}}})).get(t)
	v := e.publish(o, author, approver, p.Latest.ID)
	for _, c := range []struct {
		who  assay.Person
		want int
	}{{eng, 1}, {con, 1}, {sal, 0}} {
		if got := must(o.PoliciesToAccept(e.Ctx, c.who.ID)).get(t); len(got) != c.want {
			t.Fatalf("%s has %d to accept, want %d", c.who.Name, len(got), c.want)
		}
	}
	_, err := o.AcceptPolicy(e.Ctx, author, sal.ID, v.ID)
	wantCode(t, err, assay.EFORBIDDEN, "accepting a policy that does not apply")
	must(o.AcceptPolicy(e.Ctx, author, eng.ID, v.ID)).get(t)
	figs := must(o.PolicyFigures(e.Ctx)).get(t)
	if len(figs) != 1 || figs[0].Accepted != 1 || figs[0].Required != 2 || figs[0].Percent != 50 || figs[0].Missing[0] != "Carl Con" {
		t.Fatalf("figures = %+v", figs)
	}
	// An upcoming person is not asked yet.
	start := Epoch.AddDate(0, 1, 0)
	up := must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Una Upcoming", Email: "una@people.example", Department: "Engineering", StartDate: &start})).get(t)
	if got := must(o.PoliciesToAccept(e.Ctx, up.ID)).get(t); len(got) != 0 {
		t.Fatalf("upcoming person asked: %+v", got)
	}
}

func testPolicyTenancy(e *Env) {
	t := e.T
	_, a := e.Org("a")
	_, b := e.Org("b")
	author, approver := e.policyActors(a)
	pa := must(a.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Privacy", Body: policyBody})).get(t)
	va := e.publish(a, author, approver, pa.Latest.ID)
	pb := e.policyPerson(b, "Bea B", "Ops", assay.EmploymentEmployee)
	_, err := b.Policy(e.Ctx, pa.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's policy")
	_, err = b.PolicyVersion(e.Ctx, va.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's version")
	_, err = b.PolicyVersions(e.Ctx, pa.ID)
	wantCode(t, err, assay.ENOTFOUND, "list another org's versions")
	_, err = b.MovePolicyVersion(e.Ctx, approver, va.ID, assay.PolicyRetired)
	wantCode(t, err, assay.ENOTFOUND, "move another org's version")
	_, err = b.EditPolicy(e.Ctx, author, pa.ID, assay.PolicyEdit{Body: "x", Bump: "minor", Changelog: "x"})
	wantCode(t, err, assay.ENOTFOUND, "edit another org's policy")
	_, err = b.AcceptPolicy(e.Ctx, author, pb.ID, va.ID)
	wantCode(t, err, assay.ENOTFOUND, "accept another org's version")
	pa2 := e.policyPerson(a, "Al A", "Ops", assay.EmploymentEmployee)
	_, err = b.AcceptPolicy(e.Ctx, author, pa2.ID, va.ID)
	wantCode(t, err, assay.ENOTFOUND, "accept for another org's person")
	if got := must(b.Policies(e.Ctx)).get(t); len(got) != 0 {
		t.Fatalf("org b sees %+v", got)
	}
	if got := must(b.PolicyFigures(e.Ctx)).get(t); len(got) != 0 {
		t.Fatalf("org b figures %+v", got)
	}
	if got := must(b.PolicyAcceptances(e.Ctx, 0)).get(t); len(got) != 0 {
		t.Fatalf("org b acceptances %+v", got)
	}
}

func testPolicyReadiness(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	e.Note(o, "Evidence for every control", LibraryIDs...)
	for _, id := range LibraryIDs {
		e.SetStatus(o, id, assay.StatusImplemented)
	}
	cc11 := func() assay.CriterionReadiness {
		for _, c := range e.readiness(o).Criteria {
			if c.ID == "CC1.1" {
				return c
			}
		}
		t.Fatal("CC1.1 missing")
		return assay.CriterionReadiness{}
	}
	if c := cc11(); !c.Met {
		t.Fatalf("CC1.1 before policies = %+v", c)
	}
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Code of Conduct", Controls: []string{"GV-01"}, Body: policyBody})).get(t)
	if c := cc11(); c.Met || !strings.Contains(c.Reason, "Code of Conduct is not published") {
		t.Fatalf("CC1.1 with a draft = %+v", c)
	}
	v := e.publish(o, author, approver, p.Latest.ID)
	if c := cc11(); c.Met || !strings.Contains(c.Reason, "applies to nobody") {
		t.Fatalf("CC1.1 with nobody = %+v", c)
	}
	var people []assay.Person
	for _, n := range []string{"P One", "P Two"} {
		people = append(people, e.policyPerson(o, n, "Ops", assay.EmploymentEmployee))
	}
	must(o.AcceptPolicy(e.Ctx, author, people[0].ID, v.ID)).get(t)
	if c := cc11(); c.Met || !strings.Contains(c.Reason, "Code of Conduct: 1 of 2 people have not accepted version 1.0") {
		t.Fatalf("CC1.1 half accepted = %+v", c)
	}
	must(o.AcceptPolicy(e.Ctx, author, people[1].ID, v.ID)).get(t)
	if c := cc11(); !c.Met {
		t.Fatalf("CC1.1 all accepted = %+v", c)
	}
	// Reviews: due 30 days before, overdue after the cadence.
	revs := must(rules.PolicyReviews(e.Ctx, o)).get(t)
	if len(revs) != 1 || !revs[0].Due.Equal(Epoch.AddDate(1, 0, 0)) || revs[0].Kind != "policy_review" {
		t.Fatalf("reviews = %+v", revs)
	}
	e.Clock.T = Epoch.AddDate(1, 0, -10)
	p = must(o.Policy(e.Ctx, p.ID)).get(t)
	if p.ReviewState(e.Clock.Now()) != "due" {
		t.Fatalf("review state = %q", p.ReviewState(e.Clock.Now()))
	}
	e.Clock.T = Epoch.AddDate(1, 0, 1)
	e.Note(o, "Fresh evidence", LibraryIDs...) // so only the policy condition is in question
	if c := cc11(); c.Met || !strings.Contains(c.Reason, "overdue for review") {
		t.Fatalf("CC1.1 overdue = %+v", c)
	}
	must(o.ReviewPolicy(e.Ctx, approver, p.ID)).get(t)
	if c := cc11(); !c.Met {
		t.Fatalf("CC1.1 after review = %+v", c)
	}
}

// testOnboardingPoliciesItem: the onboarding item "policies accepted" is
// about the onboarding window. It closes when the joiner has accepted the
// policies in force; a later major version or a policy published after
// their onboarding was due asks them again as a policy obligation, but
// does not reopen their onboarding.
func testOnboardingPoliciesItem(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	author, approver := e.policyActors(o)
	p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Code of Conduct", Body: policyBody})).get(t)
	v1 := e.publish(o, author, approver, p.Latest.ID)
	start := assay.Day(e.Clock.Now())
	joe := must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Joe Joiner", Email: "joe@people.example", Department: "Sales", StartDate: &start})).get(t)
	item := func(who assay.Person) assay.ChecklistItem {
		t.Helper()
		return itemByKey(must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), who, nil)).get(t), assay.ItemPoliciesAccepted)
	}
	if it := item(joe); it.Done || !it.Auto {
		t.Fatalf("before accepting: %+v", it)
	}
	must(o.AcceptPolicy(e.Ctx, author, joe.ID, v1.ID)).get(t)
	if it := item(joe); !it.Done {
		t.Fatalf("after accepting: %+v", it)
	}
	// Forty days on, a major version and a new policy are published.
	e.Clock.T = e.Clock.T.AddDate(0, 0, 40)
	v2 := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "new duty", Bump: "major", Changelog: "New duty."})).get(t)
	e.publish(o, author, approver, v2.ID)
	q := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Privacy Policy", Body: policyBody})).get(t)
	e.publish(o, author, approver, q.Latest.ID)
	if todo := must(o.PoliciesToAccept(e.Ctx, joe.ID)).get(t); len(todo) != 2 {
		t.Fatalf("Joe should still be asked for both: %+v", todo)
	}
	if it := item(joe); !it.Done {
		t.Fatalf("a later version reopened Joe's onboarding: %+v", it)
	}
	// A joiner starting now must accept both before onboarding is done.
	now := assay.Day(e.Clock.Now())
	kim := must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Kim New", Email: "kim@people.example", Department: "Sales", StartDate: &now})).get(t)
	if it := item(kim); it.Done {
		t.Fatalf("new joiner done without accepting: %+v", it)
	}
	for _, v := range must(o.PoliciesToAccept(e.Ctx, kim.ID)).get(t) {
		must(o.AcceptPolicy(e.Ctx, author, kim.ID, v.ID)).get(t)
		if it := item(kim); it.Done != (len(must(o.PoliciesToAccept(e.Ctx, kim.ID)).get(t)) == 0) {
			t.Fatalf("item %+v with policies still to accept", it)
		}
	}
	if it := item(kim); !it.Done {
		t.Fatalf("after accepting both: %+v", it)
	}
}
