package app_test

import (
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// Who may do what with people and training, decided in the services: every
// reading role reads the roster, only admins change it, and an employee
// sees and completes only their own tasks.
func TestPeopleAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin, member, auditor, viewer, employee := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember),
		e.principal(t, assay.RoleAuditor), e.principal(t, assay.RoleViewer), e.principal(t, assay.RoleEmployee)
	em, err := e.app.CreatePerson(e.ctx, admin, assay.NewPerson{Name: "Em", Email: "employee@acme.example", StartDate: date(2028, 1, 3), EndDate: date(2028, 3, 31)})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.app.CreatePerson(e.ctx, admin, assay.NewPerson{Name: "Oz", Email: "oz@acme.example", StartDate: date(2027, 6, 1), EndDate: date(2028, 3, 31)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []app.Principal{member, auditor, viewer, employee} {
		if _, err := e.app.CreatePerson(e.ctx, p, assay.NewPerson{Name: "X", Email: "x@acme.example"}); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("%s adds a person: %v", p.User.Role, err)
		}
		name := "Y"
		if _, err := e.app.UpdatePerson(e.ctx, p, other.ID, assay.PersonPatch{Name: &name}); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("%s updates a person: %v", p.User.Role, err)
		}
		if _, err := e.app.ImportPeople(e.ctx, p, []assay.NewPerson{{Name: "X", Email: "x@acme.example"}}); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("%s imports: %v", p.User.Role, err)
		}
		if _, err := e.app.CreateCourse(e.ctx, p, assay.NewCourse{Name: "C"}); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("%s adds a course: %v", p.User.Role, err)
		}
	}
	for _, p := range []app.Principal{admin, member, auditor} {
		if r, err := e.app.People(e.ctx, p, app.PeopleFilter{}); err != nil || len(r.People) != 2 {
			t.Errorf("%s reads the roster: %d %v", p.User.Role, len(r.People), err)
		}
	}
	// A viewer reads the program's state, not records about people.
	if _, err := e.app.People(e.ctx, viewer, app.PeopleFilter{}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("viewer reads the roster: %v", err)
	}
	if _, err := e.app.People(e.ctx, employee, app.PeopleFilter{}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("employee reads the roster: %v", err)
	}
	if _, err := e.app.Person(e.ctx, employee, other.ID); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("employee reads a person: %v", err)
	}
	if _, err := e.app.People(e.ctx, admin, app.PeopleFilter{Status: "gone"}); assay.ErrorCode(err) != assay.EINVALID {
		t.Errorf("unknown status filter: %v", err)
	}

	// Training: the admin assigns a course to both; each completes their own.
	c, err := e.app.CreateCourse(e.ctx, admin, assay.NewCourse{Name: "Security awareness", Security: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.AssignTraining(e.ctx, member, assay.NewAssignment{CourseID: c.ID, PersonIDs: []int64{em.ID}, Due: *date(2028, 3, 15)}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("member assigns: %v", err)
	}
	list, err := e.app.AssignTraining(e.ctx, admin, assay.NewAssignment{CourseID: c.ID, PersonIDs: []int64{em.ID, other.ID}, Due: *date(2028, 3, 15)})
	if err != nil || len(list) != 2 {
		t.Fatalf("assign: %d %v", len(list), err)
	}
	mine, theirs := list[0], list[1]
	if mine.PersonID != em.ID {
		mine, theirs = theirs, mine
	}
	if _, err := e.app.CompleteTraining(e.ctx, employee, theirs.ID, true); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Errorf("employee completes another's training: %v", err)
	}
	if _, err := e.app.StartTraining(e.ctx, employee, theirs.ID); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Errorf("employee starts another's training: %v", err)
	}
	if _, err := e.app.CompleteTraining(e.ctx, admin, theirs.ID, true); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("admin attests another's training: %v", err)
	}
	if _, err := e.app.CompleteTraining(e.ctx, employee, mine.ID, false); assay.ErrorCode(err) != assay.EINVALID {
		t.Errorf("completion without attesting: %v", err)
	}
	if a, err := e.app.CompleteTraining(e.ctx, employee, mine.ID, true); err != nil || a.Status != assay.TrainingCompleted {
		t.Fatalf("employee completes her own: %+v %v", a, err)
	}
	if got, _ := e.db.Org(e.org.ID).TrainingAssignment(e.ctx, theirs.ID); got.Status == assay.TrainingCompleted {
		t.Fatal("the other person's training was completed")
	}

	// Checklists: her own employee item, not another's, and no reopening.
	tasks, err := e.app.PortalTasks(e.ctx, employee)
	if err != nil || tasks.Person.ID != em.ID || len(tasks.Checklist) != 1 || tasks.Checklist[0].Key != assay.ItemDevicesReturned {
		t.Fatalf("tasks: %+v %v", tasks, err)
	}
	d, err := e.app.Person(e.ctx, admin, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	var theirDevices, theirAccess int64
	for _, it := range d.Checklist {
		switch it.Key {
		case assay.ItemDevicesReturned:
			theirDevices = it.ID
		case assay.ItemAccessRevoked:
			theirAccess = it.ID
		}
	}
	for _, id := range []int64{theirDevices, theirAccess} {
		if _, err := e.app.CompleteChecklistItem(e.ctx, employee, id, true, ""); assay.ErrorCode(err) != assay.ENOTFOUND {
			t.Errorf("employee ticks item %d of another: %v", id, err)
		}
		if _, err := e.app.CompleteChecklistItem(e.ctx, member, id, true, ""); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("member ticks item %d: %v", id, err)
		}
	}
	if _, err := e.app.CompleteOwnChecklistItem(e.ctx, admin, theirDevices, ""); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("admin ticks another's item through the portal: %v", err)
	}
	own := tasks.Checklist[0].ID
	if _, err := e.app.CompleteChecklistItem(e.ctx, employee, own, false, ""); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Errorf("employee reopens: %v", err)
	}
	if it, err := e.app.CompleteOwnChecklistItem(e.ctx, employee, own, "returned"); err != nil || !it.Done || it.Note != "returned" {
		t.Fatalf("employee ticks her own: %+v %v", it, err)
	}
	if it, err := e.app.CompleteChecklistItem(e.ctx, admin, theirAccess, true, "revoked"); err != nil || !it.Done {
		t.Fatalf("admin ticks: %+v %v", it, err)
	}
	if _, err := e.app.PortalTasks(e.ctx, member); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Errorf("member without a roster entry: %v", err)
	}
	// The operator (no account) has no tasks of their own.
	if _, err := e.app.PortalTasks(e.ctx, e.app.OperatorPrincipal(e.org, "assay person tasks")); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Errorf("operator's tasks: %v", err)
	}
}

// Offboarding deadlines count business days from the end date: across a
// weekend and over 31 December / 1 January, and the overdue count follows
// the clock.
func TestPeopleOffboardingDeadlines(t *testing.T) {
	e := newEnv(t)
	admin, reader := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleAuditor)
	for _, c := range []struct {
		end             *time.Time
		accounts, items string
	}{
		{date(2028, 3, 3), "2028-03-06", "2028-03-10"},   // Friday: Monday, and Friday a week on
		{date(2028, 12, 29), "2029-01-01", "2029-01-05"}, // Friday 29 December: over the new year
		{date(2027, 12, 31), "2028-01-03", "2028-01-07"}, // Friday 31 December
	} {
		d, err := e.app.CreatePerson(e.ctx, admin, assay.NewPerson{Name: "Leaver " + assay.FormatDate(c.end), Email: "l" + assay.FormatDate(c.end) + "@acme.example",
			StartDate: date(2026, 1, 5), EndDate: c.end})
		if err != nil {
			t.Fatal(err)
		}
		due := map[string]string{}
		for _, it := range d.Checklist {
			if it.Kind == assay.ChecklistOffboarding {
				due[it.Key] = assay.FormatDate(it.Due)
			}
		}
		if due[assay.ItemAccountsDisabled] != c.accounts || due[assay.ItemAccessRevoked] != c.accounts || due[assay.ItemDevicesReturned] != c.items {
			t.Errorf("end %s: deadlines %v, want accounts %s, devices %s", assay.FormatDate(c.end), due, c.accounts, c.items)
		}
	}
	// At 29 February 2028 only the leaver of 31 December 2027 is overdue (3 items).
	if n, err := e.app.OverdueOffboarding(e.ctx, reader); err != nil || n != 3 {
		t.Fatalf("overdue at %v: %d %v", e.clock.Now(), n, err)
	}
	e.clock.Set(time.Date(2029, 1, 2, 9, 0, 0, 0, time.UTC)) // accounts of the new-year leaver now overdue too
	if n, err := e.app.OverdueOffboarding(e.ctx, reader); err != nil || n != 3+3+2 {
		t.Fatalf("overdue at %v: %d %v", e.clock.Now(), n, err)
	}
	if r, err := e.app.People(e.ctx, reader, app.PeopleFilter{Overdue: true}); err != nil || len(r.People) != 3 {
		t.Fatalf("overdue filter: %d %v", len(r.People), err)
	}
	if _, err := e.app.OverdueOffboarding(e.ctx, e.principal(t, assay.RoleEmployee)); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("employee's overdue count: %v", err)
	}
}

// A bad row of an import fails it whole: nothing is added.
func TestPeopleImportAllOrNone(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	_, err := e.app.ImportPeople(e.ctx, admin, []assay.NewPerson{{Name: "Ann", Email: "ann@acme.example"}, {Name: "", Email: "bad"}})
	if assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad import: %v", err)
	}
	if r, err := e.app.People(e.ctx, admin, app.PeopleFilter{}); err != nil || len(r.People) != 0 {
		t.Fatalf("after a refused import: %d %v", len(r.People), err)
	}
	res, err := e.app.ImportPeople(e.ctx, admin, []assay.NewPerson{{Name: "Ann", Email: "ann@acme.example"}})
	if err != nil || res.Created != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if _, err := e.app.ImportCompletions(e.ctx, e.principal(t, assay.RoleMember), nil); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("member imports completions: %v", err)
	}
}
