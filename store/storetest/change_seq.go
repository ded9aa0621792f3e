package storetest

import (
	"reflect"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

var changeSeqTests = []subtest{
	{"ChangeSeqMovesWithEveryChange", testChangeSeqMoves},
}

// testChangeSeqMoves: every kind of change the readiness rules read moves
// the organisation's ChangeSeq (and another organisation's change does
// not), and readiness computed through rules.Cache, which keeps its
// tables until ChangeSeq moves, is after each change the readiness
// computed from the store directly.
func testChangeSeqMoves(e *Env) {
	t := e.T
	_, o := e.Org("acme", assay.CategoryAvailability)
	_, other := e.Org("other")
	author, approver := e.policyActors(o)
	cache := rules.NewCache(2)
	last := must(o.ChangeSeq(e.Ctx)).get(t)
	if last == 0 {
		t.Fatal("ChangeSeq = 0 after the organisation was created with its controls")
	}
	step := func(what string, change func()) {
		t.Helper()
		// Read through the cache first, so a snapshot from before the
		// change is there to be wrongly kept.
		before, _, ok := cache.Shared(e.Ctx, o, e.Clock.Now())
		if !ok {
			t.Fatalf("%s: the cache refused the organisation's own store", what)
		}
		e.readiness(before)
		change()
		seq := must(o.ChangeSeq(e.Ctx)).get(t)
		if seq <= last {
			t.Fatalf("%s: ChangeSeq %d, was %d: the change did not move it", what, seq, last)
		}
		last = seq
		shared, _, _ := cache.Shared(e.Ctx, o, e.Clock.Now())
		if got, want := e.readiness(shared), e.readiness(o); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: readiness through the cache\n%+v\nwant\n%+v", what, got.Overall, want.Overall)
		}
	}
	step("control status", func() { e.SetStatus(o, "AC-02", assay.StatusImplemented) })
	step("evidence", func() { e.Note(o, "MFA report", "AC-02") })
	start := assay.Day(e.Clock.Now()).AddDate(0, 0, -30)
	step("people", func() {
		must(o.ImportPeople(e.Ctx, Actor, []assay.NewPerson{
			{Name: "Ada Lovelace", Email: "ada@acme.example", Department: "Engineering", EmploymentType: assay.EmploymentEmployee, StartDate: &start},
			{Name: "Grace Hopper", Email: "grace@acme.example", Department: "Sales", EmploymentType: assay.EmploymentEmployee, StartDate: &start},
		})).get(t)
	})
	people := must(o.People(e.Ctx)).get(t)
	var version assay.PolicyVersion
	step("policy", func() {
		p := must(o.AdoptPolicy(e.Ctx, author, assay.NewPolicy{Title: "Acceptable use", Body: policyBody})).get(t)
		version = e.publish(o, author, approver, p.Latest.ID)
	})
	step("acceptance", func() { must(o.AcceptPolicy(e.Ctx, author, people[0].ID, version.ID)).get(t) })
	var course assay.Course
	step("course", func() {
		course = must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness", Security: true})).get(t)
	})
	step("training", func() {
		must(o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: course.ID, PersonIDs: []int64{people[0].ID, people[1].ID},
			Due: e.Clock.Now().Add(-24 * time.Hour)})).get(t)
	})
	items := must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: people[0].ID})).get(t)
	for _, it := range items {
		if !it.Auto {
			step("checklist item", func() { must(o.CompleteChecklistItem(e.Ctx, Actor, it.ID, true, "done")).get(t) })
			break
		}
	}
	seq := last
	e.SetStatus(other, "AC-02", assay.StatusImplemented)
	if got := must(o.ChangeSeq(e.Ctx)).get(t); got != seq {
		t.Fatalf("another organisation's change moved ChangeSeq from %d to %d", seq, got)
	}
}
