package main

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// The demo's employee login: a person on the roster with the employee
// role, who sees only the portal.
const demoEmployeeEmail = "ella@northwind.example"

// demoStaffEntry is one person on the demo roster; startDays and endDays
// are days from now (0: no date).
type demoStaffEntry struct {
	name, email, title, dept, manager string
	startDays, endDays                int
	kind                              assay.EmploymentType
}

var demoStaff = []demoStaffEntry{
	{"Dana Reyes", demoEmail, "Head of Security", "Security", "", -1100, 0, assay.EmploymentEmployee},
	{"Alex Moreno", demoApproverEmail, "Chief technology officer", "Executive", "", -1300, 0, assay.EmploymentEmployee},
	{"Sam Okafor", "sam@northwind.example", "Engineering lead", "Engineering", demoEmail, -900, 0, assay.EmploymentEmployee},
	{"Priya Natarajan", "priya@northwind.example", "IT administrator", "Security", demoEmail, -700, 0, assay.EmploymentEmployee},
	{"Jordan Blake", "jordan@northwind.example", "HR lead", "People", demoEmail, -800, 0, assay.EmploymentEmployee},
	{"Lena Fischer", "lena@northwind.example", "Privacy officer", "Legal", demoEmail, -500, 0, assay.EmploymentEmployee},
	{"Chris Wong", "chris@northwind.example", "Finance manager", "Finance", "", -650, 0, assay.EmploymentEmployee},
	{"Ella Park", demoEmployeeEmail, "Support specialist", "Support", "jordan@northwind.example", -120, 0, assay.EmploymentEmployee},
	{"Ben Carter", "ben@northwind.example", "Backend engineer", "Engineering", "sam@northwind.example", -400, 0, assay.EmploymentEmployee},
	{"Fatima Malik", "fatima@northwind.example", "Platform engineer", "Engineering", "sam@northwind.example", -300, 0, assay.EmploymentEmployee},
	{"Noah Kim", "noah@northwind.example", "Data contractor", "Engineering", "sam@northwind.example", -200, 0, assay.EmploymentContractor},
	{"Tomás Rivera", "tomas@northwind.example", "Account executive", "Sales", "chris@northwind.example", -600, -10, assay.EmploymentEmployee},
}

// demoHire starts after the roster is loaded, so the courses required at
// hire are assigned to them automatically.
var demoHire = demoStaffEntry{"Aiko Tanaka", "aiko@northwind.example", "Frontend engineer", "Engineering", "sam@northwind.example", 14, 0, assay.EmploymentIntern}

// seedDemoPeople loads the roster, two courses with mixed completions, a
// departed person with an overdue offboarding item, an upcoming hire, and
// the employee login (the demo password, hashed with a salt of its own). It returns
// the employee login's e-mail address.
// extra are generated people (the larger demo sizes) imported with the
// staff; they take the same training, most of them have completed it.
func seedDemoPeople(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User, hashFor func() (string, error), extra []assay.NewPerson) (string, error) {
	actor := assay.ActorFor(people[demoEmail], "web")
	now := clock.Now()
	at := func(days int) *time.Time {
		if days == 0 {
			return nil
		}
		d := assay.Day(now).AddDate(0, 0, days)
		return &d
	}
	var rows []assay.NewPerson
	for _, e := range demoStaff {
		rows = append(rows, assay.NewPerson{Name: e.name, Email: e.email, Title: e.title, Department: e.dept, ManagerEmail: e.manager,
			StartDate: at(e.startDays), EndDate: at(e.endDays), EmploymentType: e.kind})
	}
	staff := len(rows)
	rows = append(rows, extra...)
	res, err := os.ImportPeople(ctx, actor, rows)
	if err != nil {
		return "", fmt.Errorf("roster: %w", err)
	}
	// Onboarding of the long-standing staff is done; Tomás left with his
	// accounts disabled but his laptop and access still outstanding.
	for _, p := range res.People[:min(staff, len(res.People))] {
		items, err := rules.PersonChecklist(ctx, os, now, p, []assay.TrainingAssignment{})
		if err != nil {
			return "", err
		}
		for _, it := range items {
			if it.Auto || it.Done || (it.Kind == assay.ChecklistOffboarding && it.Key != assay.ItemAccountsDisabled) {
				continue
			}
			note := "Recorded in the HR system."
			if it.Key == assay.ItemBackgroundCheck {
				note = "Cleared; reference kept by HR."
			}
			if _, err := os.CompleteChecklistItem(ctx, actor, it.ID, true, note); err != nil {
				return "", fmt.Errorf("checklist %s: %w", it.Title, err)
			}
		}
	}

	twelve, none := 12, 0
	awareness, err := os.CreateCourse(ctx, actor, assay.NewCourse{Name: "Security awareness 2026", Link: "https://learn.northwind.example/security-awareness",
		Description: "Phishing, passwords and MFA, handling customer data, reporting incidents.", RenewalMonths: &twelve,
		Attestation: "I completed the security awareness course and will follow what it teaches.", RequiredAtHire: true, Security: true})
	if err != nil {
		return "", err
	}
	coding, err := os.CreateCourse(ctx, actor, assay.NewCourse{Name: "Secure coding basics", Link: "https://learn.northwind.example/secure-coding",
		Description: "Injection, authentication flaws, secrets in code, dependency hygiene.", RenewalMonths: &none,
		Attestation: "I completed the secure coding course."})
	if err != nil {
		return "", err
	}
	due := assay.Day(now).AddDate(0, 0, 21)
	if _, err := os.AssignTraining(ctx, actor, assay.NewAssignment{CourseID: awareness.ID, Due: due}); err != nil {
		return "", err
	}
	if _, err := os.AssignTraining(ctx, actor, assay.NewAssignment{CourseID: coding.ID, Department: "Engineering", Due: due}); err != nil {
		return "", err
	}
	var done []assay.TrainingCompletion
	for i, email := range []string{demoEmail, demoApproverEmail, "sam@northwind.example", "priya@northwind.example", "jordan@northwind.example",
		"lena@northwind.example", "ben@northwind.example", "fatima@northwind.example"} {
		done = append(done, assay.TrainingCompletion{Email: email, Course: awareness.Name, CompletedAt: now.AddDate(0, 0, -20-9*i)})
	}
	done = append(done, assay.TrainingCompletion{Email: "sam@northwind.example", Course: coding.Name, CompletedAt: now.AddDate(0, -2, 0)})
	for i, n := range extra {
		if i%5 != 0 && (n.StartDate == nil || !n.StartDate.After(now)) && n.EndDate == nil {
			done = append(done, assay.TrainingCompletion{Email: n.Email, Course: awareness.Name, CompletedAt: now.AddDate(0, 0, -1-i%25)})
		}
	}
	if _, err := os.ImportCompletions(ctx, actor, done); err != nil {
		return "", fmt.Errorf("completions: %w", err)
	}

	if _, err := os.CreatePerson(ctx, actor, assay.NewPerson{Name: demoHire.name, Email: demoHire.email, Title: demoHire.title,
		Department: demoHire.dept, ManagerEmail: demoHire.manager, StartDate: at(demoHire.startDays), EmploymentType: demoHire.kind}); err != nil {
		return "", err
	}
	system := assay.Actor{Name: "assay demo", Via: "system"}
	hash, err := hashFor()
	if err != nil {
		return "", err
	}
	if _, err := os.CreateUser(ctx, system, assay.NewUser{Email: demoEmployeeEmail, Name: "Ella Park", Role: assay.RoleEmployee, Password: demoPassword}, hash); err != nil {
		return "", fmt.Errorf("demo employee: %w", err)
	}
	return demoEmployeeEmail, nil
}
