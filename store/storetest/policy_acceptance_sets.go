package storetest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

// testAcceptanceSetsMatchPerPerson: on a generated organisation (people of
// several departments and employment types, joiners and leavers, policies
// of different scopes, some at a second major version, acceptances at
// random), the set-based answers (assay.PoliciesToAcceptFor and
// PolicyFiguresFor over one read of each table, and the checklists and
// readiness computed through rules.Memo) are the per-person ones: the
// store's PoliciesToAccept asked person by person, and the onboarding item
// judged as it was before, one query per person.
func testAcceptanceSetsMatchPerPerson(e *Env) {
	t := e.T
	_, o := e.Org("acme", assay.CategoryAvailability)
	author, approver := e.policyActors(o)
	rng := rand.New(rand.NewPCG(12, 34))
	now := assay.Day(e.Clock.Now())
	depts := []string{"Sales", "Engineering", "Support", "Finance"}
	types := []assay.EmploymentType{assay.EmploymentEmployee, assay.EmploymentContractor, assay.EmploymentIntern}
	var rows []assay.NewPerson
	for i := range 60 {
		start := now.AddDate(0, 0, -rng.IntN(400))
		n := assay.NewPerson{Name: fmt.Sprintf("Person %02d", i), Email: fmt.Sprintf("p%02d@people.example", i), Department: depts[i%len(depts)],
			EmploymentType: types[rng.IntN(len(types))], StartDate: &start}
		switch i % 10 {
		case 3:
			end := now.AddDate(0, 0, -1-rng.IntN(30))
			n.EndDate = &end
		case 7:
			later := now.AddDate(0, 0, 1+rng.IntN(20))
			n.StartDate = &later
		}
		rows = append(rows, n)
	}
	must(o.ImportPeople(e.Ctx, Actor, rows)).get(t)
	people := must(o.People(e.Ctx)).get(t)
	scopes := []assay.PolicyScope{{}, {Departments: []string{"Engineering"}}, {EmploymentTypes: []string{"contractor"}},
		{Departments: []string{"Sales", "Support"}, EmploymentTypes: []string{"employee"}}}
	accept := func(v assay.PolicyVersion, scope assay.PolicyScope, share int) {
		for _, p := range people {
			if p.Status == assay.PersonActive && scope.Matches(p.Department, string(p.EmploymentType)) && rng.IntN(100) < share {
				must(o.AcceptPolicy(e.Ctx, author, p.ID, v.ID)).get(t)
			}
		}
	}
	for i, scope := range scopes {
		p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: fmt.Sprintf("Policy %d", i), Body: policyBody, AppliesTo: scope})).get(t)
		v := e.publish(o, author, approver, p.Latest.ID)
		accept(v, scope, 80)
		if i%2 == 1 { // a later major version, accepted by fewer
			e.Clock.T = e.Clock.T.Add(time.Hour)
			next := must(o.EditPolicy(e.Ctx, author, p.ID, assay.PolicyEdit{Body: policyBody + "\nMore.", Bump: "major", Changelog: "More."})).get(t)
			accept(e.publish(o, author, approver, next.ID), scope, 50)
		}
	}

	policies := must(o.Policies(e.Ctx)).get(t)
	accepted := must(o.AcceptedMajors(e.Ctx)).get(t)
	all := must(o.PolicyAcceptances(e.Ctx, 0)).get(t)
	// Paged in the store, by id: the same acceptances, each once.
	for _, policyID := range []int64{0, policies[1].ID} {
		want := map[int64]assay.PolicyAcceptance{}
		for _, a := range must(o.PolicyAcceptances(e.Ctx, policyID)).get(t) {
			want[a.ID] = a
		}
		var after int64
		pages := 0
		for {
			page, more, err := o.PolicyAcceptancesPage(e.Ctx, policyID, after, 7)
			check(t, err, "acceptances page")
			pages++
			for _, a := range page {
				if a.ID <= after || !reflect.DeepEqual(want[a.ID], a) {
					t.Fatalf("policy %d: page after %d has %+v, want it once, as listed: %+v", policyID, after, a, want[a.ID])
				}
				delete(want, a.ID)
				after = a.ID
			}
			if len(page) > 7 || (more && len(page) != 7) {
				t.Fatalf("policy %d: page of %d, more %v", policyID, len(page), more)
			}
			if !more {
				break
			}
		}
		if len(want) != 0 || pages < 2 {
			t.Fatalf("policy %d: %d acceptances not paged (%d pages)", policyID, len(want), pages)
		}
	}
	anyAccepted := map[[2]int64]bool{}
	for _, a := range all {
		anyAccepted[[2]int64{a.PersonID, a.PolicyID}] = true
	}
	for _, p := range people {
		per := must(o.PoliciesToAccept(e.Ctx, p.ID)).get(t)
		if set := assay.PoliciesToAcceptFor(p, policies, accepted); !reflect.DeepEqual(per, set) {
			t.Fatalf("%s: per person %+v, set-based %+v", p.Name, per, set)
		}
		// The onboarding item as it was judged before, one query per person.
		items := must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), p, nil)).get(t)
		it := itemByKey(items, assay.ItemPoliciesAccepted)
		if it.Key == "" {
			continue
		}
		left := 0
		for _, v := range per {
			if !anyAccepted[[2]int64{p.ID, v.PolicyID}] && (it.Due == nil || v.PublishedAt == nil || !assay.Day(*v.PublishedAt).After(*it.Due)) {
				left++
			}
		}
		if it.Done != (left == 0) {
			t.Fatalf("%s: onboarding item done=%v with %d policies left", p.Name, it.Done, left)
		}
	}
	if per, set := must(o.PolicyFigures(e.Ctx)).get(t), assay.PolicyFiguresFor(policies, people, accepted); !reflect.DeepEqual(per, set) {
		t.Fatalf("figures: per person %+v, set-based %+v", per, set)
	}
	all2 := must(rules.AllChecklists(e.Ctx, rules.Memo(o), e.Clock.Now())).get(t)
	for _, p := range people {
		want := must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), p, nil)).get(t)
		var got []assay.ChecklistItem
		for _, it := range all2 {
			if it.PersonID == p.ID {
				got = append(got, it)
			}
		}
		if !reflect.DeepEqual(want, got) && (len(want) > 0 || len(got) > 0) {
			t.Fatalf("%s: checklist alone %+v, with everyone %+v", p.Name, want, got)
		}
	}
	// The brief read (the roster's and readiness's) is the full one
	// without names, titles and notes, in any order.
	brief := map[int64]assay.ChecklistItem{}
	for _, it := range must(rules.BriefChecklists(e.Ctx, rules.Memo(o), e.Clock.Now())).get(t) {
		brief[it.ID] = it
	}
	if len(brief) != len(all2) {
		t.Fatalf("brief checklists: %d items, full %d", len(brief), len(all2))
	}
	for _, it := range all2 {
		want := assay.ChecklistItem{ID: it.ID, PersonID: it.PersonID, Kind: it.Kind, Key: it.Key, Assignee: it.Assignee, Due: it.Due, Done: it.Done, Auto: it.Auto}
		if got := brief[it.ID]; !reflect.DeepEqual(got, want) {
			t.Fatalf("brief item %+v, want %+v", got, want)
		}
	}
	// Readiness through the memo is readiness read table by table.
	if plain, memo := e.readiness(o), e.readiness(rules.Memo(o)); !reflect.DeepEqual(plain, memo) {
		t.Fatalf("readiness differs through the memo:\n%+v\n%+v", plain, memo)
	}
}
