package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIPeopleAndTraining: the roster, checklists, training and an
// employee's own tasks from the command line, through the same services as
// the web: admins change the roster, other roles are refused, an employee
// sees and completes only their own tasks, and bad input changes nothing.
func TestCLIPeopleAndTraining(t *testing.T) {
	t.Parallel()
	// A Wednesday before the year's end: Bob's last day is Friday 29 December.
	e := newCLIEnv(t).at("2028-12-20")
	must, refused := e.must, e.refused
	e.root()
	for _, u := range [][2]string{{"member", "mo"}, {"auditor", "au"}, {"viewer", "vi"}, {"employee", "em"}} {
		e.user(u[0], u[1]+"@example.com", u[1])
	}
	type roster struct {
		People []app.PersonView `json:"people"`
		Count  int              `json:"count"`
	}
	count := func() int {
		t.Helper()
		var r roster
		if err := json.Unmarshal([]byte(must("person", "list", "--json")), &r); err != nil || r.Count != len(r.People) {
			t.Fatalf("person list --json: %v %+v", err, r)
		}
		return r.Count
	}

	// An admin adds Em, the employee; nobody else may.
	var em app.PersonDetail
	out := must("person", "add", "--as", "root@example.com", "--name", "Em Ployee", "--email", "EM@example.com", "--department", "Sales",
		"--start", "2028-12-01", "--json")
	if err := json.Unmarshal([]byte(out), &em); err != nil || em.Email != "em@example.com" || em.Status != assay.PersonActive || len(em.Checklist) == 0 {
		t.Fatalf("person add --json: %v %+v\n%s", err, em, out)
	}
	for _, who := range []string{"mo", "au", "vi"} {
		refused("Only admins", "person", "add", "--as", who+"@example.com", "--name", "X", "--email", "x@example.com")
	}
	refused("does not show the roster", "person", "list", "--as", "em@example.com")
	refused("does not show the roster", "person", "list", "--as", "vi@example.com") // viewers read the program, not people
	refused("Only admins", "person", "update", "em@example.com", "--as", "mo@example.com", "--title", "Boss")
	for _, who := range []string{"mo", "au"} {
		if out := must("person", "list", "--as", who+"@example.com"); !strings.Contains(out, "em@example.com") {
			t.Fatalf("%s's roster:\n%s", who, out)
		}
	}

	// A roster CSV saved with a UTF-8 BOM: Bob leaves on Friday 29 December,
	// so his accounts are due off on Monday 1 January and his devices back
	// on Friday 5 January, across the weekend and the new year.
	dir := t.TempDir()
	good := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(good, []byte("\ufeffName,E-mail,Department,Start_Date,End_Date\nBob Leaver,bob@example.com,Engineering,2027-01-04,2028-12-29\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused("Only admins", "person", "import", good, "--as", "mo@example.com")
	var res struct {
		Created int              `json:"created"`
		People  []app.PersonView `json:"people"`
	}
	if err := json.Unmarshal([]byte(must("person", "import", good, "--json")), &res); err != nil || res.Created != 1 || res.People[0].Email != "bob@example.com" {
		t.Fatalf("import: %v %+v", err, res)
	}
	var bob app.PersonDetail
	if err := json.Unmarshal([]byte(must("person", "show", "bob@example.com", "--json")), &bob); err != nil {
		t.Fatal(err)
	}
	due := map[string]string{}
	var bobDevices int64
	for _, it := range bob.Checklist {
		if it.Kind == assay.ChecklistOffboarding {
			due[it.Key] = assay.FormatDate(it.Due)
		}
		if it.Key == assay.ItemDevicesReturned {
			bobDevices = it.ID
		}
	}
	if due[assay.ItemAccountsDisabled] != "2029-01-01" || due[assay.ItemAccessRevoked] != "2029-01-01" || due[assay.ItemDevicesReturned] != "2029-01-05" {
		t.Fatalf("Bob's offboarding deadlines: %v", due)
	}
	// A bad row names its line and nothing is imported, not even the good row.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,email,start_date\nCarol,carol@example.com,2028-01-02\nDan,dan@example.com,31/12/2028\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused("line 3", "person", "import", bad)
	if n := count(); n != 2 {
		t.Fatalf("after a refused import the roster has %d people, want 2", n)
	}
	refused("start", "person", "add", "--name", "Eve", "--email", "eve@example.com", "--start", "tomorrow")
	refused("email", "person", "add", "--name", "Eve", "--email", "not-an-address")
	if n := count(); n != 2 {
		t.Fatalf("after refused adds the roster has %d people, want 2", n)
	}

	// An admin ticks Bob's access; a member may read it but not tick it.
	var access int64
	for _, it := range bob.Checklist {
		if it.Key == assay.ItemAccessRevoked {
			access = it.ID
		}
	}
	refused("Only the person it is assigned", "person", "complete", strconv.FormatInt(access, 10), "--as", "mo@example.com")
	var item app.ChecklistView
	if err := json.Unmarshal([]byte(must("person", "complete", strconv.FormatInt(access, 10), "--as", "root@example.com", "--note", "IdP groups removed", "--json")), &item); err != nil ||
		!item.Done || item.Note != "IdP groups removed" || item.DoneByName != "Root" {
		t.Fatalf("complete: %v %+v", err, item)
	}

	// Training: an admin adds a course and assigns it to Em and Bob.
	var course assay.Course
	if err := json.Unmarshal([]byte(must("training", "add", "--name", "Security awareness", "--security", "--renewal-months", "12", "--json")), &course); err != nil || course.ID == 0 {
		t.Fatalf("training add: %v %+v", err, course)
	}
	cid := strconv.FormatInt(course.ID, 10)
	refused("Only admins", "training", "add", "--as", "au@example.com", "--name", "Phishing")
	refused("Only admins", "training", "assign", "--as", "mo@example.com", "--course", cid, "--due", "2029-01-31", "--person", "em@example.com")
	refused("due", "training", "assign", "--course", cid, "--due", "soon", "--person", "em@example.com")
	var assigned struct {
		Assignments []assay.TrainingAssignment `json:"assignments"`
		Count       int                        `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("training", "assign", "--course", cid, "--due", "2029-01-31", "--person", "em@example.com",
		"--person", "bob@example.com", "--json")), &assigned); err != nil || assigned.Count != 2 {
		t.Fatalf("training assign: %v %+v", err, assigned)
	}
	var mine, bobs int64
	for _, a := range assigned.Assignments {
		if a.PersonEmail == "em@example.com" {
			mine = a.ID
		} else {
			bobs = a.ID
		}
	}
	if out := must("training", "list", "--as", "au@example.com"); !strings.Contains(out, "Security awareness") {
		t.Fatalf("training list:\n%s", out)
	}

	// Em's own tasks: her training, and after her end date is set, her own
	// devices to return. She completes her own, never Bob's.
	must("person", "update", "em@example.com", "--end", "2029-01-12")
	var tasks app.PortalTasks
	if err := json.Unmarshal([]byte(must("person", "tasks", "--as", "em@example.com", "--json")), &tasks); err != nil ||
		tasks.Person.Email != "em@example.com" || len(tasks.Training) != 1 || len(tasks.Checklist) != 1 {
		t.Fatalf("Em's tasks: %v %+v", err, tasks)
	}
	emDevices := tasks.Checklist[0].ID
	refused("not found", "person", "complete", strconv.FormatInt(bobDevices, 10), "--as", "em@example.com")
	refused("not found", "training", "complete", strconv.FormatInt(bobs, 10), "--attest", "--as", "em@example.com")
	refused("Tick the box", "training", "complete", strconv.FormatInt(mine, 10), "--as", "em@example.com")
	refused("Only an admin reopens", "person", "complete", strconv.FormatInt(emDevices, 10), "--undo", "--as", "em@example.com")
	refused("only a user on the roster", "person", "tasks")
	must("person", "complete", strconv.FormatInt(emDevices, 10), "--as", "em@example.com", "--note", "Laptop handed in")
	var done assay.TrainingAssignment
	if err := json.Unmarshal([]byte(must("training", "complete", strconv.FormatInt(mine, 10), "--attest", "--as", "em@example.com", "--json")), &done); err != nil ||
		done.Status != assay.TrainingCompleted {
		t.Fatalf("training complete: %v %+v", err, done)
	}
	if err := json.Unmarshal([]byte(must("person", "tasks", "--as", "em@example.com", "--json")), &tasks); err != nil || tasks.Open != 0 {
		t.Fatalf("Em's tasks after completing them: %v %+v", err, tasks)
	}
	// Bob's remain open; an admin imports his completion record instead.
	if err := json.Unmarshal([]byte(must("person", "show", "bob@example.com", "--json")), &bob); err != nil {
		t.Fatal(err)
	}
	for _, it := range bob.Checklist {
		if it.ID == bobDevices && it.Done {
			t.Fatal("Em ticked Bob's devices")
		}
	}
	refused("Only the person it is assigned", "training", "complete", strconv.FormatInt(bobs, 10), "--attest", "--as", "root@example.com")
	records := filepath.Join(dir, "completions.csv")
	if err := os.WriteFile(records, []byte("\ufeffemail,course,completed_at\nbob@example.com,security awareness,2028-12-18\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused("Only admins", "training", "complete", "--import", records, "--as", "mo@example.com")
	if out := must("training", "complete", "--import", records, "--json"); !strings.Contains(out, `"imported": 1`) {
		t.Fatalf("completions import:\n%s", out)
	}
	var list struct {
		Assignments []assay.TrainingAssignment `json:"assignments"`
	}
	if err := json.Unmarshal([]byte(must("training", "list", "--person", "bob@example.com", "--json")), &list); err != nil ||
		len(list.Assignments) != 1 || list.Assignments[0].Status != assay.TrainingCompleted {
		t.Fatalf("Bob's training: %v %+v", err, list)
	}
}
