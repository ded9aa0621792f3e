package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var peopleTests = []subtest{
	{"PeopleLifecycleAndChecklists", testPeopleLifecycle},
	{"PeopleRefuseBadInput", testPeopleBadInput},
	{"PeopleImportUpdatesByEmail", testPeopleImport},
	{"PeopleTenancy", testPeopleTenancy},
	{"OnboardingDueAfterStart", testOnboardingDue},
}

func (e *Env) person(o store.OrgStore, name, email string, start, end *time.Time) assay.Person {
	e.T.Helper()
	return must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: name, Email: email, Department: "Engineering",
		StartDate: start, EndDate: end})).get(e.T)
}

func itemByKey(items []assay.ChecklistItem, key string) assay.ChecklistItem {
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	return assay.ChecklistItem{}
}

func testPeopleLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	// Epoch is Monday 2 March 2026; Ada starts next Monday.
	ada := e.person(o, " Ada Lovelace ", "Ada@Acme.Example", day(2026, 3, 9), nil)
	if ada.ID == 0 || ada.Name != "Ada Lovelace" || ada.Email != "ada@acme.example" || ada.Status != assay.PersonUpcoming ||
		ada.EmploymentType != assay.EmploymentEmployee {
		t.Fatalf("created = %+v", ada)
	}
	jsonEq(t, must(o.PersonByEmail(e.Ctx, "ADA@acme.example")).get(t), ada, "by e-mail")
	jsonEq(t, must(o.Person(e.Ctx, ada.ID)).get(t), ada, "by id")
	_, err := o.PersonByEmail(e.Ctx, "nobody@acme.example")
	wantCode(t, err, assay.ENOTFOUND, "unknown e-mail")

	items := must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: ada.ID})).get(t)
	if len(items) != 4 || items[0].Kind != assay.ChecklistOnboarding {
		t.Fatalf("onboarding = %+v", items)
	}
	for _, key := range []string{assay.ItemPoliciesAccepted, assay.ItemSecurityTraining, assay.ItemBackgroundCheck, assay.ItemAccessGranted} {
		if itemByKey(items, key).ID == 0 {
			t.Fatalf("onboarding lacks %s: %+v", key, items)
		}
	}
	// The computed training item cannot be ticked by hand.
	_, err = o.CompleteChecklistItem(e.Ctx, Actor, itemByKey(items, assay.ItemSecurityTraining).ID, true, "")
	wantCode(t, err, assay.EINVALID, "tick a computed item")

	// A background check is recorded with a note, who and when.
	e.Clock.Advance(time.Hour)
	bg := must(o.CompleteChecklistItem(e.Ctx, Actor, itemByKey(items, assay.ItemBackgroundCheck).ID, true, " Cleared by Sterling, ref 991 ")).get(t)
	if !bg.Done || bg.DoneByName != Actor.Name || bg.DoneAt == nil || !bg.DoneAt.Equal(e.Clock.Now()) || bg.Note != "Cleared by Sterling, ref 991" {
		t.Fatalf("background check = %+v", bg)
	}
	if a := e.Activity(o)[0]; a.Action != "checklist.complete" || a.ObjectType != "person" || !strings.Contains(a.Summary, "Background check") {
		t.Fatalf("activity = %+v", a)
	}

	// An end date on a Friday: accounts and access due the next Monday,
	// devices five business days on.
	e.Clock.Advance(7 * 24 * time.Hour)
	ada = must(o.UpdatePerson(e.Ctx, Actor, ada.ID, assay.PersonPatch{EndDate: day(2026, 3, 13)})).get(t)
	if ada.Status != assay.PersonActive || assay.FormatDate(ada.EndDate) != "2026-03-13" {
		t.Fatalf("updated = %+v", ada)
	}
	off := must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: ada.ID, Kind: assay.ChecklistOffboarding})).get(t)
	if len(off) != 3 {
		t.Fatalf("offboarding = %+v", off)
	}
	for key, want := range map[string]string{assay.ItemAccessRevoked: "2026-03-16", assay.ItemAccountsDisabled: "2026-03-16", assay.ItemDevicesReturned: "2026-03-20"} {
		if got := assay.FormatDate(itemByKey(off, key).Due); got != want {
			t.Fatalf("%s due %s, want %s", key, got, want)
		}
	}
	if itemByKey(off, assay.ItemDevicesReturned).Assignee != assay.AssigneeEmployee {
		t.Fatalf("devices item should be the employee's: %+v", off)
	}
	// Moving the end date moves the open due dates.
	ada = must(o.UpdatePerson(e.Ctx, Actor, ada.ID, assay.PersonPatch{EndDate: day(2026, 3, 12)})).get(t)
	off = must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: ada.ID, Kind: assay.ChecklistOffboarding})).get(t)
	if got := assay.FormatDate(itemByKey(off, assay.ItemAccessRevoked).Due); got != "2026-03-13" {
		t.Fatalf("moved access due = %s", got)
	}

	// After the deadline the open items are overdue and Ada has departed.
	e.Clock.T = time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)
	ada = must(o.Person(e.Ctx, ada.ID)).get(t)
	if ada.Status != assay.PersonDeparted {
		t.Fatalf("status after end = %s", ada.Status)
	}
	open := must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{Kind: assay.ChecklistOffboarding, OpenOnly: true})).get(t)
	if len(open) != 3 || !open[0].OverdueAt(e.Clock.Now()) || open[0].PersonName != "Ada Lovelace" {
		t.Fatalf("open offboarding = %+v", open)
	}
	obs := must(rules.TrainingObligations(e.Ctx, o, e.Clock.Now())).get(t)
	if len(obs) != 3 || obs[0].Kind != "offboarding" || obs[0].Link == "" {
		t.Fatalf("obligations = %+v", obs)
	}
	// Clearing the end date drops the open offboarding items.
	must(o.UpdatePerson(e.Ctx, Actor, ada.ID, assay.PersonPatch{ClearEndDate: true})).get(t)
	if n := len(must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: ada.ID, Kind: assay.ChecklistOffboarding})).get(t)); n != 0 {
		t.Fatalf("offboarding items after clearing = %d", n)
	}
}

// testOnboardingDue: onboarding items are due OnboardingGraceDays after
// the start date, follow a corrected start date, and are overdue only
// while open after it; someone without a start date has no due date.
func testOnboardingDue(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	bo := e.person(o, "Bo Chen", "bo@acme.example", day(2026, 3, 9), nil)
	dues := func(want string) []assay.ChecklistItem {
		t.Helper()
		items := must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: bo.ID, Kind: assay.ChecklistOnboarding})).get(t)
		if len(items) != 4 {
			t.Fatalf("onboarding = %+v", items)
		}
		for _, it := range items {
			if got := assay.FormatDate(it.Due); got != want {
				t.Fatalf("%s due %q, want %q", it.Key, got, want)
			}
		}
		return items
	}
	items := dues("2026-04-08")
	// A corrected start date moves the due dates with it.
	must(o.UpdatePerson(e.Ctx, Actor, bo.ID, assay.PersonPatch{StartDate: day(2026, 3, 16)})).get(t)
	items = dues("2026-04-15")
	must(o.CompleteChecklistItem(e.Ctx, Actor, itemByKey(items, assay.ItemBackgroundCheck).ID, true, "Cleared")).get(t)

	e.Clock.T = time.Date(2026, 4, 15, 18, 0, 0, 0, time.UTC) // the due day itself
	for _, it := range dues("2026-04-15") {
		if it.OverdueAt(e.Clock.Now()) {
			t.Fatalf("%s overdue on its due day", it.Key)
		}
	}
	e.Clock.T = time.Date(2026, 4, 16, 9, 0, 0, 0, time.UTC)
	for _, it := range dues("2026-04-15") {
		if it.OverdueAt(e.Clock.Now()) == it.Done {
			t.Fatalf("%s (done %v) overdue = %v the day after", it.Key, it.Done, it.OverdueAt(e.Clock.Now()))
		}
	}
	// The same items are open past the grace period for CC1.5.
	cond := assay.AccountabilityCondition(e.Clock.Now(), must(o.People(e.Ctx)).get(t), items)
	if !strings.Contains(cond("CC1.5"), "onboarding") {
		t.Fatalf("CC1.5 reason = %q", cond("CC1.5"))
	}

	// Once Bo has left, the open onboarding items are no longer chased.
	must(o.UpdatePerson(e.Ctx, Actor, bo.ID, assay.PersonPatch{EndDate: day(2026, 4, 17)})).get(t)
	dues("2026-04-15")
	e.Clock.T = time.Date(2026, 4, 18, 9, 0, 0, 0, time.UTC)
	for _, it := range dues("") {
		if it.OverdueAt(e.Clock.Now()) {
			t.Fatalf("%s overdue after the person left", it.Key)
		}
	}

	// Without a start date there is no onboarding checklist to be due.
	cy := e.person(o, "Cy", "cy@acme.example", nil, nil)
	if n := len(must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: cy.ID})).get(t)); n != 0 {
		t.Fatalf("checklist without a start date: %d items", n)
	}
	if assay.OnboardingDue(nil) != nil {
		t.Fatal("a due date without a start date")
	}
}

func testPeopleBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	ada := e.person(o, "Ada", "ada@acme.example", day(2026, 1, 5), nil)
	entries := len(e.Activity(o))
	for name, n := range map[string]assay.NewPerson{
		"no name":          {Email: "x@acme.example"},
		"bad e-mail":       {Name: "X", Email: "not-an-address"},
		"bad type":         {Name: "X", Email: "x@acme.example", EmploymentType: "volunteer"},
		"end before start": {Name: "X", Email: "x@acme.example", StartDate: day(2026, 5, 1), EndDate: day(2026, 4, 1)},
		"own manager":      {Name: "X", Email: "x@acme.example", ManagerEmail: "X@acme.example"},
	} {
		_, err := o.CreatePerson(e.Ctx, Actor, n)
		wantCode(t, err, assay.EINVALID, name)
	}
	_, err := o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Other Ada", Email: "ADA@acme.example"})
	wantCode(t, err, assay.EINVALID, "duplicate e-mail")
	_, err = o.UpdatePerson(e.Ctx, Actor, ada.ID, assay.PersonPatch{EndDate: day(2025, 1, 1)})
	wantCode(t, err, assay.EINVALID, "end before start on update")
	_, err = o.UpdatePerson(e.Ctx, Actor, 9999, assay.PersonPatch{Name: ptr("Nobody")})
	wantCode(t, err, assay.ENOTFOUND, "update unknown")
	_, err = o.CompleteChecklistItem(e.Ctx, Actor, 9999, true, "")
	wantCode(t, err, assay.ENOTFOUND, "complete unknown item")
	if n := len(e.Activity(o)); n != entries {
		t.Fatalf("refused input wrote %d activity entries", n-entries)
	}
	jsonEq(t, must(o.Person(e.Ctx, ada.ID)).get(t), ada, "unchanged")
}

func testPeopleImport(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	rows := []assay.NewPerson{
		{Name: "Ada", Email: "ada@acme.example", Department: "Engineering", StartDate: day(2025, 6, 1)},
		{Name: "Bob", Email: "bob@acme.example", Department: "Sales", ManagerEmail: "ada@acme.example", StartDate: day(2026, 4, 1)},
		{Name: "Cy", Email: "cy@acme.example", EmploymentType: "contractor"},
	}
	res := must(o.ImportPeople(e.Ctx, Actor, rows)).get(t)
	if res.Created != 3 || res.Updated != 0 || len(res.People) != 3 {
		t.Fatalf("first import = %+v", res)
	}
	// Only people with a start date get an onboarding checklist.
	if n := len(must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{})).get(t)); n != 8 {
		t.Fatalf("checklist items after import = %d, want 8", n)
	}
	entries := len(e.Activity(o))

	// A bad row fails the whole import, naming the row.
	bad := append([]assay.NewPerson{{Name: "Dee", Email: "dee@acme.example"}}, assay.NewPerson{Name: "Eve", Email: "eve at acme"})
	_, err := o.ImportPeople(e.Ctx, Actor, bad)
	wantCode(t, err, assay.EINVALID, "bad row")
	if !strings.HasPrefix(assay.ErrorMessage(err), "Row 1:") {
		t.Fatalf("bad row message = %q", assay.ErrorMessage(err))
	}
	_, err = o.ImportPeople(e.Ctx, Actor, []assay.NewPerson{{Name: "Dee", Email: "dee@acme.example"}, {Name: "Dee again", Email: "DEE@acme.example"}})
	wantCode(t, err, assay.EINVALID, "duplicate in file")
	if n := len(must(o.People(e.Ctx)).get(t)); n != 3 || len(e.Activity(o)) != entries {
		t.Fatalf("a failed import changed something: %d people", n)
	}

	// Re-importing updates by e-mail, without duplicates; unchanged rows write nothing.
	rows[1].Title, rows[1].Email = "Account executive", "BOB@acme.example"
	rows[2].EndDate = day(2026, 3, 31)
	rows = append(rows, assay.NewPerson{Name: "Dee", Email: "dee@acme.example"})
	res = must(o.ImportPeople(e.Ctx, Actor, rows)).get(t)
	if res.Created != 1 || res.Updated != 2 || res.Unchanged != 1 {
		t.Fatalf("re-import = %+v", res)
	}
	people := must(o.People(e.Ctx)).get(t)
	if len(people) != 4 || people[1].Name != "Bob" || people[1].Title != "Account executive" || people[1].ManagerEmail != "ada@acme.example" {
		t.Fatalf("people = %+v", people)
	}
	if n := len(must(o.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: people[2].ID, Kind: assay.ChecklistOffboarding})).get(t)); n != 3 {
		t.Fatalf("an end date by import should open offboarding: %d items", n)
	}
}

func testPeopleTenancy(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("bravo")
	ada := e.person(a, "Ada", "ada@acme.example", day(2026, 1, 5), day(2026, 2, 27))
	course := must(a.CreateCourse(e.Ctx, Actor, assay.NewCourse{Name: "Security awareness"})).get(t)
	as := must(a.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: course.ID, PersonIDs: []int64{ada.ID}, Due: Epoch})).get(t)
	item := must(a.ChecklistItems(e.Ctx, assay.ChecklistFilter{PersonID: ada.ID})).get(t)[0]

	_, err := b.Person(e.Ctx, ada.ID)
	wantCode(t, err, assay.ENOTFOUND, "other org person")
	_, err = b.PersonByEmail(e.Ctx, ada.Email)
	wantCode(t, err, assay.ENOTFOUND, "other org e-mail")
	_, err = b.UpdatePerson(e.Ctx, Actor, ada.ID, assay.PersonPatch{Name: ptr("Mallory")})
	wantCode(t, err, assay.ENOTFOUND, "other org update")
	_, err = b.CompleteChecklistItem(e.Ctx, Actor, item.ID, true, "")
	wantCode(t, err, assay.ENOTFOUND, "other org item")
	_, err = b.CompleteTraining(e.Ctx, Actor, as[0].ID, "yes")
	wantCode(t, err, assay.ENOTFOUND, "other org training")
	_, err = b.AssignTraining(e.Ctx, Actor, assay.NewAssignment{CourseID: course.ID, Due: Epoch})
	wantCode(t, err, assay.ENOTFOUND, "other org course")
	_, err = b.ImportCompletions(e.Ctx, Actor, []assay.TrainingCompletion{{Email: ada.Email, Course: course.Name, CompletedAt: Epoch}})
	wantCode(t, err, assay.EINVALID, "other org completion")
	if len(must(b.People(e.Ctx)).get(t)) != 0 || len(must(b.ChecklistItems(e.Ctx, assay.ChecklistFilter{})).get(t)) != 0 ||
		len(must(b.TrainingAssignments(e.Ctx, assay.TrainingFilter{})).get(t)) != 0 || len(must(b.Courses(e.Ctx)).get(t)) != 0 {
		t.Fatal("another organisation's people leak")
	}
	// The same e-mail may be on two rosters.
	e.person(b, "Ada B", ada.Email, nil, nil)
	// Employees have accounts: the role is stored on both backends.
	if u := e.User(a, "ella@acme.example", assay.RoleEmployee); u.Role != assay.RoleEmployee {
		t.Fatalf("employee user = %+v", u)
	}
}
