package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/internal/clocktest"
)

// csvCall sends a text/csv body with a token and returns status and body.
func (m *testMain) csvCall(t *testing.T, token, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, m.URL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type personResp struct {
	ID           int64              `json:"id"`
	Name         string             `json:"name"`
	Email        string             `json:"email"`
	Title        string             `json:"title"`
	StartDate    string             `json:"start_date"`
	EndDate      string             `json:"end_date"`
	Status       assay.PersonStatus `json:"status"`
	OverdueItems int                `json:"overdue_items"`
	Checklist    []struct {
		ID         int64      `json:"id"`
		Kind       string     `json:"kind"`
		Key        string     `json:"key"`
		Due        *time.Time `json:"due"`
		Done       bool       `json:"done"`
		DoneByName string     `json:"done_by_name"`
		Auto       bool       `json:"auto"`
		Overdue    bool       `json:"overdue"`
	} `json:"checklist"`
	Training []assay.TrainingAssignment `json:"training"`
}

// TestAPIPeopleAndTraining drives the roster, checklists and training over
// the API on both backends: imports all or nothing with line numbers,
// re-import without duplicates, offboarding due dates, completions and the
// readiness conditions.
func TestAPIPeopleAndTraining(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		t.Run(map[bool]string{false: "sqlite", true: "postgres"}[pg], func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} // a Monday
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			testAPIPeople(t, m, clock)
		})
	}
}

func testAPIPeople(t *testing.T, m *testMain, clock *assay.FixedClock) {
	orgID, admin := m.orgWithAdmin(t, "Acme")
	_, other := m.orgWithAdmin(t, "Other")
	member := m.userToken(t, orgID, "sam@acme.example", assay.RoleMember)
	count := func(tok string) int {
		var list struct {
			Count int `json:"count"`
		}
		m.call(t, tok, "GET", "/api/v1/people", "", &list)
		return list.Count
	}

	header := "Name,EMAIL,Title,Department,Manager,Start_Date,End_Date,Employment_Type\n"
	ada := "Ada Lovelace,ada@acme.example,CTO,Engineering,,2024-01-08,,employee\n"
	bob := "Bob Stone,bob@acme.example,Engineer,Engineering,ada@acme.example,2025-05-05,,contractor\n"
	badDate := "Cy Young,cy@acme.example,Sales,Sales,,2026-13-01,,employee\n"
	badType := "Dee Dee,dee@acme.example,,,,,,volunteer\n"
	code, msg := m.csvCall(t, admin, "POST", "/api/v1/people/import", header+ada+bob+badDate+badType)
	if code != 400 || !strings.Contains(msg, `line 4, column \"Start_Date\": start_date \"2026-13-01\" is not a date (YYYY-MM-DD)`) || !strings.Contains(msg, "line 5") ||
		strings.Contains(msg, "line 2") {
		t.Fatalf("bad import: %d %s", code, msg)
	}
	if n := count(admin); n != 0 {
		t.Fatalf("a failed import stored %d people", n)
	}
	if code, _ := m.csvCall(t, member, "POST", "/api/v1/people/import", header+ada); code != 403 {
		t.Fatalf("member imports: %d", code)
	}
	var res struct{ Created, Updated, Unchanged int }
	code, msg = m.csvCall(t, admin, "POST", "/api/v1/people/import", header+ada+bob)
	if code != 200 || json.Unmarshal([]byte(msg), &res) != nil || res.Created != 2 {
		t.Fatalf("import: %d %s", code, msg)
	}
	// Re-importing updates by e-mail; a column left out keeps its value.
	code, msg = m.csvCall(t, admin, "POST", "/api/v1/people/import", "email,name,title\nBOB@acme.example,Bob Stone,Staff engineer\nada@acme.example,Ada Lovelace,CTO\n")
	if code != 200 || json.Unmarshal([]byte(msg), &res) != nil || res.Created != 0 || res.Updated != 1 || res.Unchanged != 1 || count(admin) != 2 {
		t.Fatalf("re-import: %d %s", code, msg)
	}
	var list struct{ People []personResp }
	m.call(t, admin, "GET", "/api/v1/people?q=bob", "", &list)
	if len(list.People) != 1 || list.People[0].Title != "Staff engineer" || list.People[0].StartDate != "2025-05-05" || list.People[0].Status != assay.PersonActive {
		t.Fatalf("bob after re-import = %+v", list.People)
	}
	bobID := list.People[0].ID
	if n := count(other); n != 0 {
		t.Fatalf("another organisation sees %d people", n)
	}
	if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/people/%d", bobID), "", nil); code != 404 {
		t.Fatalf("another organisation reads a person: %d", code)
	}

	// An end date on Friday opens offboarding with business-day due dates.
	var p personResp
	if code := m.call(t, admin, "PATCH", fmt.Sprintf("/api/v1/people/%d", bobID), `{"end_date":"2026-03-06"}`, &p); code != 200 {
		t.Fatalf("set end date: %d %+v", code, p)
	}
	due := map[string]string{}
	for _, it := range p.Checklist {
		if it.Kind == "offboarding" {
			due[it.Key] = assay.FormatDate(it.Due)
		}
	}
	if due["access_revoked"] != "2026-03-09" || due["accounts_disabled"] != "2026-03-09" || due["devices_returned"] != "2026-03-13" {
		t.Fatalf("offboarding due dates = %v", due)
	}
	if code := m.call(t, member, "PATCH", fmt.Sprintf("/api/v1/people/%d", bobID), `{"title":"x"}`, nil); code != 403 {
		t.Fatalf("member edits a person: %d", code)
	}
	// After the deadline the open items are overdue; ticking one records who.
	clock.Set(time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC))
	m.call(t, admin, "GET", fmt.Sprintf("/api/v1/people/%d", bobID), "", &p)
	if p.Status != assay.PersonDeparted || p.OverdueItems != 2 { // devices are due on the 13th
		t.Fatalf("after the deadline = %+v", p)
	}
	var access int64
	for _, it := range p.Checklist {
		if it.Key == "access_revoked" {
			access = it.ID
		}
	}
	var item struct {
		Done       bool   `json:"done"`
		DoneByName string `json:"done_by_name"`
	}
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/checklist-items/%d", access), `{"done":true,"note":"Removed from IdP groups"}`, &item); code != 200 ||
		!item.Done || item.DoneByName != "admin@acme.example" {
		t.Fatalf("tick: %d %+v", code, item)
	}
	if code := m.call(t, other, "POST", fmt.Sprintf("/api/v1/checklist-items/%d", access), `{"done":false}`, nil); code != 404 {
		t.Fatalf("another organisation ticks an item: %d", code)
	}
	code, export := m.csvCall(t, admin, "GET", "/api/v1/people.csv", "")
	if code != 200 || !strings.HasPrefix(export, "name,email,title,department,manager,start_date,end_date,employment_type") ||
		!strings.Contains(export, "bob@acme.example,Staff engineer,Engineering,ada@acme.example,2025-05-05,2026-03-06,contractor,departed") {
		t.Fatalf("export: %d %s", code, export)
	}

	// Training: a course, an assignment to everyone active, imported completions.
	var course assay.Course
	if code := m.call(t, admin, "POST", "/api/v1/training/courses", `{"name":"Security awareness","link":"https://learn.example/sec","security":true}`, &course); code != 201 || course.RenewalMonths != 12 {
		t.Fatalf("course: %d %+v", code, course)
	}
	var assigned struct{ Count int }
	if code := m.call(t, admin, "POST", "/api/v1/training/assignments", fmt.Sprintf(`{"course_id":%d,"due":"2026-03-31"}`, course.ID), &assigned); code != 201 || assigned.Count != 1 {
		t.Fatalf("assign (only Ada is active): %d %+v", code, assigned)
	}
	code, msg = m.csvCall(t, admin, "POST", "/api/v1/training/completions/import", "email,course,completed_at\nada@acme.example,Security awareness,2026-03-01\nzed@acme.example,Security awareness,2026-03-01\n")
	if code != 400 || !strings.Contains(msg, "line 3") || !strings.Contains(msg, "zed@acme.example") {
		t.Fatalf("bad completions: %d %s", code, msg)
	}
	var figs struct {
		Courses []assay.CourseFigures `json:"courses"`
	}
	m.call(t, admin, "GET", "/api/v1/training/courses", "", &figs)
	if len(figs.Courses) != 1 || figs.Courses[0].Completed != 0 {
		t.Fatalf("a failed import completed something: %+v", figs)
	}
	if code, msg = m.csvCall(t, admin, "POST", "/api/v1/training/completions/import", "Email,Course,Completed_At\nada@acme.example,security awareness,2026-03-01\n"); code != 200 {
		t.Fatalf("completions: %d %s", code, msg)
	}
	m.call(t, admin, "GET", "/api/v1/training/courses", "", &figs)
	if figs.Courses[0].Completed != 1 || figs.Courses[0].Rate != 100 {
		t.Fatalf("figures = %+v", figs)
	}

	// Readiness: CC1.4 is met (Ada trained), CC1.5 not while Bob's
	// offboarding is overdue.
	var rd assay.Readiness
	m.call(t, admin, "GET", "/api/v1/readiness", "", &rd)
	for _, c := range rd.Criteria {
		if c.ID == "CC1.4" && strings.Contains(c.Reason, "security training") {
			t.Fatalf("CC1.4 = %+v", c)
		}
		if c.ID == "CC1.5" && !strings.Contains(c.Reason, "offboarding item(s) overdue") {
			t.Fatalf("CC1.5 = %+v", c)
		}
	}
	// Every change is in the audit trail.
	var acts struct {
		Activity []assay.Activity `json:"activity"`
	}
	m.call(t, admin, "GET", "/api/v1/activity?type=person", "", &acts)
	if len(acts.Activity) == 0 {
		t.Fatal("no person entries in the audit trail")
	}
}

// signIn signs a user in with a browser-like client.
func signIn(t *testing.T, m *testMain, email, password string) *http.Client {
	t.Helper()
	c := newBrowserClient(t)
	resp, _ := post(t, c, m.URL()+"/login", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, resp.StatusCode)
	}
	return c
}

// addUser adds a user with a password.
func (m *testMain) addUser(t *testing.T, orgID int64, email string, role assay.Role) {
	t.Helper()
	hash, _ := auth.HashPassword("long enough password", fastParams)
	if _, err := m.Store.Org(orgID).CreateUser(context.Background(), assay.SystemActor,
		assay.NewUser{Email: email, Name: email, Role: role, Password: "long enough password"}, hash); err != nil {
		t.Fatal(err)
	}
}

// TestEmployeePortal checks an employee sees only their own tasks: "/"
// leads to the portal, every other page and API answers 403, another
// person's task cannot be touched, and their changes are in the trail.
func TestEmployeePortal(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	ctx := context.Background()
	orgID, admin := m.orgWithAdmin(t, "Acme")
	os := m.Store.Org(orgID)
	actor := assay.SystemActor
	start := clocktest.Today().AddDate(-1, 0, 0)
	ella, err := os.CreatePerson(ctx, actor, assay.NewPerson{Name: "Ella Park", Email: "ella@acme.example", StartDate: &start})
	if err != nil {
		t.Fatal(err)
	}
	end := clocktest.Today().AddDate(0, 0, 7)
	bob, err := os.CreatePerson(ctx, actor, assay.NewPerson{Name: "Bob Stone", Email: "bob@acme.example", StartDate: &start, EndDate: &end})
	if err != nil {
		t.Fatal(err)
	}
	course, err := os.CreateCourse(ctx, actor, assay.NewCourse{Name: "Security awareness", Security: true, Attestation: "I did the course."})
	if err != nil {
		t.Fatal(err)
	}
	as, err := os.AssignTraining(ctx, actor, assay.NewAssignment{CourseID: course.ID, Due: end})
	if err != nil || len(as) != 2 {
		t.Fatalf("assign: %v %d", err, len(as))
	}
	var mine, bobs int64
	for _, a := range as {
		if a.PersonID == ella.ID {
			mine = a.ID
		} else {
			bobs = a.ID
		}
	}
	items, _ := os.ChecklistItems(ctx, assay.ChecklistFilter{PersonID: bob.ID, Kind: assay.ChecklistOffboarding})
	var bobDevices int64
	for _, it := range items {
		if it.Key == assay.ItemDevicesReturned {
			bobDevices = it.ID
		}
	}
	m.addUser(t, orgID, "Ella@acme.example", assay.RoleEmployee)
	m.addUser(t, orgID, "nobody@acme.example", assay.RoleEmployee)
	emplToken := m.userToken(t, orgID, "ella2@acme.example", assay.RoleEmployee)

	c := signIn(t, m, "ella@acme.example", "long enough password")
	resp, _ := c.Get(m.URL() + "/")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/portal" {
		t.Fatalf("/ for an employee: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp.Body.Close()
	code, page := get(t, c, m.URL()+"/portal")
	if code != 200 || !strings.Contains(page, "Security awareness") || strings.Contains(page, "Bob Stone") || strings.Contains(page, `href="/controls"`) {
		t.Fatalf("portal: %d\n%s", code, page)
	}
	for _, path := range []string{"/controls", "/people", "/training", "/evidence", "/risks", fmt.Sprintf("/people/%d", ella.ID), "/activity", "/api/v1/controls", "/api/v1/people"} {
		if code, _ := get(t, c, m.URL()+path); code != 403 {
			t.Errorf("employee GET %s: %d, want 403", path, code)
		}
	}
	for _, path := range []string{"/api/v1/controls", "/api/v1/people", "/api/v1/readiness", "/api/v1/training/courses"} {
		if code := m.call(t, emplToken, "GET", path, "", nil); code != 403 {
			t.Errorf("employee token GET %s: %d, want 403", path, code)
		}
	}
	csrf := csrfRE.FindStringSubmatch(page)[1]
	form := func(extra ...string) url.Values {
		v := url.Values{"csrf": {csrf}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	// Someone else's training or checklist item is not there for her.
	for _, path := range []string{fmt.Sprintf("/portal/training/%d/start", bobs), fmt.Sprintf("/portal/training/%d/complete", bobs),
		fmt.Sprintf("/portal/checklist/%d/complete", bobDevices)} {
		if resp, _ := post(t, c, m.URL()+path, form("attest", "on")); resp.StatusCode != 404 {
			t.Errorf("forged POST %s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := post(t, c, m.URL()+"/checklist-items/"+fmt.Sprint(bobDevices), form("done", "true")); resp.StatusCode != 403 {
		t.Errorf("employee uses the admin checklist form: %d", resp.StatusCode)
	}
	if a, _ := os.TrainingAssignment(ctx, bobs); a.Status != assay.TrainingPending {
		t.Fatalf("bob's training changed: %+v", a)
	}
	// Her own: start, refuse without the attestation, then complete.
	if resp, _ := post(t, c, m.URL()+fmt.Sprintf("/portal/training/%d/start", mine), form()); resp.StatusCode != 303 {
		t.Fatalf("start: %d", resp.StatusCode)
	}
	if resp, body := post(t, c, m.URL()+fmt.Sprintf("/portal/training/%d/complete", mine), form()); resp.StatusCode != 400 || !strings.Contains(body, "Tick the box") {
		t.Fatalf("complete without attesting: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, m.URL()+fmt.Sprintf("/portal/training/%d/complete", mine), form("attest", "on")); resp.StatusCode != 303 {
		t.Fatalf("complete: %d", resp.StatusCode)
	}
	a, _ := os.TrainingAssignment(ctx, mine)
	if a.Status != assay.TrainingCompleted || !strings.Contains(a.Evidence, "I did the course.") {
		t.Fatalf("after completing = %+v", a)
	}
	var acts struct {
		Activity []assay.Activity `json:"activity"`
	}
	m.call(t, admin, "GET", "/api/v1/activity?type=training_assignment", "", &acts)
	if len(acts.Activity) == 0 || acts.Activity[0].Action != "training.complete" || !strings.EqualFold(acts.Activity[0].Actor.Name, "ella@acme.example") || acts.Activity[0].Actor.Via != "web" {
		t.Fatalf("trail = %+v", acts.Activity)
	}

	// An employee not on the roster is told so.
	n := signIn(t, m, "nobody@acme.example", "long enough password")
	if code, page := get(t, n, m.URL()+"/portal"); code != 200 || !strings.Contains(page, "your account is not linked to anyone on the roster") {
		t.Fatalf("unlinked portal: %d", code)
	}
}
