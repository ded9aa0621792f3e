package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

var trainingTests = []subtest{
	{"TrainingCoursesAndAssignments", testTrainingAssignments},
	{"TrainingCompletionAndRenewal", testTrainingRenewal},
	{"TrainingImportAllOrNothing", testTrainingImport},
	{"PeopleReadinessConditions", testPeopleReadiness},
}

func testTrainingAssignments(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	sec := must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness", Link: "https://learn.example/sec",
		RequiredAtHire: true, Security: true})).get(t)
	if sec.RenewalMonths != assay.DefaultRenewalMonths || sec.Attestation == "" || !sec.RequiredAtHire {
		t.Fatalf("course = %+v", sec)
	}
	_, err := o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "SECURITY Awareness"})
	wantCode(t, err, assay.EINVALID, "duplicate name")
	_, err = o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Bad link", Link: "javascript:alert(1)"})
	wantCode(t, err, assay.EINVALID, "bad link")
	_, err = o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Forever", RenewalMonths: ptr(-1)})
	wantCode(t, err, assay.EINVALID, "negative renewal")

	// A new hire gets the courses required at hire, due 30 days after the start.
	ada := e.person(o, "Ada", "ada@acme.example", day(2026, 3, 9), nil)
	list := must(o.TrainingAssignments(e.Ctx, assay.TrainingFilter{PersonID: ada.ID})).get(t)
	if len(list) != 1 || list[0].CourseID != sec.ID || assay.FormatDate(&list[0].Due) != "2026-04-08" || list[0].Status != assay.TrainingPending {
		t.Fatalf("hire training = %+v", list)
	}

	// Assigning to everyone active in a department skips those who have it.
	bob := e.person(o, "Bob", "bob@acme.example", day(2025, 1, 6), nil)
	must(o.UpdatePerson(e.Ctx, Actor, bob.ID, assay.PersonPatch{Department: ptr("Sales")})).get(t)
	e.person(o, "Cy", "cy@acme.example", day(2025, 1, 6), nil) // Engineering, active
	ethics := must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Code of conduct", RenewalMonths: ptr(0)})).get(t)
	got := must(o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: ethics.ID, Department: "sales", Due: Epoch.AddDate(0, 0, 14)})).get(t)
	if len(got) != 1 || got[0].PersonID != bob.ID {
		t.Fatalf("department assignment = %+v", got)
	}
	got = must(o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: ethics.ID, Due: Epoch.AddDate(0, 0, 14)})).get(t)
	if len(got) != 1 || got[0].PersonName != "Cy" { // Ada is upcoming, Bob has it
		t.Fatalf("all-active assignment = %+v", got)
	}
	_, err = o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: ethics.ID})
	wantCode(t, err, assay.EINVALID, "no due date")
	_, err = o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: 999, Due: Epoch})
	wantCode(t, err, assay.ENOTFOUND, "unknown course")
	figs := assay.TrainingFiguresAt(e.Clock.Now(), must(o.Courses(e.Ctx)).get(t), must(o.TrainingAssignments(e.Ctx, assay.TrainingFilter{})).get(t))
	if len(figs) != 2 || figs[0].Course.Name != "Code of conduct" || figs[0].Assigned != 2 || figs[1].Assigned != 3 || figs[1].Overdue != 0 || figs[1].Rate != 0 {
		t.Fatalf("figures = %+v", figs)
	}
}

func testTrainingRenewal(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	sec := must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness", Security: true, Attestation: "I read it all."})).get(t)
	ada := e.person(o, "Ada", "ada@acme.example", day(2025, 1, 6), nil)
	a := must(o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: sec.ID, PersonIDs: []int64{ada.ID}, Due: Epoch.AddDate(0, 0, 7)})).get(t)[0]

	_, err := o.CompleteTraining(e.Ctx, Actor, a.ID, "")
	wantCode(t, err, assay.EINVALID, "complete without attesting")
	a = must(o.StartTraining(e.Ctx, Actor, a.ID)).get(t)
	if a.Status != assay.TrainingInProgress || a.StartedAt == nil {
		t.Fatalf("started = %+v", a)
	}
	e.Clock.Advance(2 * time.Hour)
	a = must(o.CompleteTraining(e.Ctx, Actor, a.ID, "yes")).get(t)
	renewal := e.Clock.Now().AddDate(1, 0, 0)
	if a.Status != assay.TrainingCompleted || a.CompletedAt == nil || !a.CompletedAt.Equal(e.Clock.Now()) ||
		!strings.Contains(a.Evidence, "I read it all.") || !a.DueAt.Equal(renewal) {
		t.Fatalf("completed = %+v", a)
	}
	_, err = o.CompleteTraining(e.Ctx, Actor, a.ID, "yes")
	wantCode(t, err, assay.ECONFLICT, "complete twice")
	if act := e.Activity(o)[0]; act.Action != "training.complete" || act.ObjectType != "training_assignment" {
		t.Fatalf("activity = %+v", act)
	}
	items := must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), ada, nil)).get(t)
	if it := itemByKey(items, assay.ItemSecurityTraining); !it.Done || !it.Auto {
		t.Fatalf("training item = %+v", it)
	}
	obs := must(rules.TrainingObligations(e.Ctx, o, e.Clock.Now())).get(t)
	if len(obs) != 1 || obs[0].Kind != "training_renewal" || !obs[0].Due.Equal(renewal) {
		t.Fatalf("obligations = %+v", obs)
	}

	// Thirteen months on, the completion has lapsed: pending and due again.
	e.Clock.T = e.Clock.T.AddDate(1, 1, 0)
	a = must(o.TrainingAssignment(e.Ctx, a.ID)).get(t)
	if a.Status != assay.TrainingPending || !a.DueAt.Equal(renewal) || !a.OverdueAt(e.Clock.Now()) {
		t.Fatalf("lapsed = %+v", a)
	}
	// The onboarding item judged the onboarding window: it stays done; the
	// lapse is the assignment's (and CC1.4's) business.
	items = must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), ada, nil)).get(t)
	if !itemByKey(items, assay.ItemSecurityTraining).Done {
		t.Fatal("a lapsed renewal reopened the onboarding item")
	}
	if assay.SecurityTrainingCurrent(e.Clock.Now(), ada.ID, must(o.TrainingAssignments(e.Ctx, assay.TrainingFilter{PersonID: ada.ID})).get(t)) {
		t.Fatal("a lapsed completion still counts as current")
	}
	// Completing again renews it.
	a = must(o.CompleteTraining(e.Ctx, Actor, a.ID, "yes")).get(t)
	if !a.Current(e.Clock.Now()) {
		t.Fatalf("renewed = %+v", a)
	}
}

func testTrainingImport(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	sec := must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness", Security: true})).get(t)
	ada := e.person(o, "Ada", "ada@acme.example", day(2025, 1, 6), nil)
	e.person(o, "Bob", "bob@acme.example", day(2025, 1, 6), nil)
	entries := len(e.Activity(o))

	for name, list := range map[string][]assay.TrainingCompletion{
		"unknown person": {{Email: "ada@acme.example", Course: "security awareness", CompletedAt: Epoch.AddDate(0, -1, 0)},
			{Email: "zed@acme.example", Course: "Security awareness", CompletedAt: Epoch}},
		"unknown course": {{Email: "ada@acme.example", Course: "Security awareness", CompletedAt: Epoch},
			{Email: "bob@acme.example", Course: "Knitting", CompletedAt: Epoch}},
		"future": {{Email: "ada@acme.example", Course: "Security awareness", CompletedAt: Epoch},
			{Email: "bob@acme.example", Course: "Security awareness", CompletedAt: Epoch.AddDate(0, 0, 1)}},
	} {
		_, err := o.ImportCompletions(e.Ctx, Actor, list)
		wantCode(t, err, assay.EINVALID, name)
		if !strings.HasPrefix(assay.ErrorMessage(err), "Row 1:") {
			t.Fatalf("%s: message %q", name, assay.ErrorMessage(err))
		}
	}
	if len(e.Activity(o)) != entries || len(must(o.TrainingAssignments(e.Ctx, assay.TrainingFilter{})).get(t)) != 0 {
		t.Fatal("a failed import changed something")
	}

	n := must(o.ImportCompletions(e.Ctx, Actor, []assay.TrainingCompletion{
		{Email: "ADA@acme.example", Course: "security AWARENESS", CompletedAt: Epoch.AddDate(0, -2, 0)},
		{Email: "bob@acme.example", Course: "Security awareness", CompletedAt: Epoch.AddDate(-2, 0, 0)},
	})).get(t)
	if n != 2 {
		t.Fatalf("imported %d", n)
	}
	list := must(o.TrainingAssignments(e.Ctx, assay.TrainingFilter{CourseID: sec.ID})).get(t)
	if len(list) != 2 || list[0].PersonID != ada.ID || list[0].Status != assay.TrainingCompleted || list[1].Status != assay.TrainingPending {
		t.Fatalf("after import = %+v", list)
	}
	// An older record does not move a completion back.
	must(o.ImportCompletions(e.Ctx, Actor, []assay.TrainingCompletion{{Email: "ada@acme.example", Course: "Security awareness", CompletedAt: Epoch.AddDate(-1, -6, 0)}})).get(t)
	if a := must(o.TrainingAssignment(e.Ctx, list[0].ID)).get(t); !a.CompletedAt.Equal(Epoch.AddDate(0, -2, 0)) {
		t.Fatalf("completion moved back to %v", a.CompletedAt)
	}
}

func testPeopleReadiness(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	reasons := func() (string, string) {
		t.Helper()
		rule := must(rules.PeopleRule(e.Ctx, o, e.Clock.Now(), assay.ReadinessRule{})).get(t)
		var cc14, cc15 string
		for _, c := range rule.CriterionConditions {
			cc14 += c("CC1.4")
			cc15 += c("CC1.5")
		}
		return cc14, cc15
	}
	if a, b := reasons(); !strings.Contains(a, "no security training course") || !strings.Contains(b, "roster is empty") {
		t.Fatalf("empty: %q, %q", a, b)
	}
	sec := must(o.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness", Security: true})).get(t)
	ada := e.person(o, "Ada", "ada@acme.example", day(2025, 1, 6), nil)
	for _, it := range must(rules.PersonChecklist(e.Ctx, o, e.Clock.Now(), ada, nil)).get(t) {
		if !it.Auto {
			must(o.CompleteChecklistItem(e.Ctx, Actor, it.ID, true, "done")).get(t)
		}
	}
	as := must(o.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: sec.ID, Due: Epoch})).get(t)
	if a, _ := reasons(); !strings.Contains(a, "0 of 1") {
		t.Fatalf("untrained: %q", a)
	}
	must(o.CompleteTraining(e.Ctx, Actor, as[0].ID, "yes")).get(t)
	if a, b := reasons(); a != "" || b != "" {
		t.Fatalf("trained and onboarded: %q, %q", a, b)
	}
	// A departure with an overdue offboarding item fails CC1.5.
	bob := e.person(o, "Bob", "bob@acme.example", nil, day(2026, 2, 20))
	if _, b := reasons(); !strings.Contains(b, "3 offboarding item(s) overdue") {
		t.Fatalf("overdue offboarding: %q (%+v)", b, bob)
	}
}
