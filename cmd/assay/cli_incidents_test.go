package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIIncidents: an incident from report to review from the command
// line, through the same services as the web. It is detected on
// 2028-02-29 at 23:30 UTC; a member reports it and adds to its timeline,
// an admin moves it on and records the review, which opens corrective
// actions its owner works on and an admin verifies. The wrong roles are
// refused, and bad input changes nothing.
func TestCLIIncidents(t *testing.T) {
	t.Parallel()
	base := newCLIEnv(t)
	at := func(now string) func(args ...string) (string, error) { return base.at(now).cli }
	e := base.at("2028-03-01T08:00:00Z")
	must, refused := e.must, e.refused
	e.root()
	e.user("member", "mo@example.com", "Mo")
	e.user("viewer", "vi@example.com", "Vi")
	e.user("employee", "em@example.com", "Em")

	report := []string{"incident", "report", "--title", "API key pushed to a public repository", "--occurred", "2028-02-29T22:10",
		"--detected", "2028-02-29T23:30", "--customer-data", "--personal-data"}
	refused("role is viewer", append(report, "--as", "vi@example.com")...)
	refused("role is employee", append(report, "--as", "em@example.com")...)
	refused("no such user", append(report, "--as", "nobody@example.com")...)
	refused("detected", "incident", "report", "--title", "Bad time", "--detected", "yesterday evening")
	refused("future", "incident", "report", "--title", "Not yet", "--detected", "2028-03-02T00:00")
	var inc app.IncidentView
	out := must(append(report, "--as", "mo@example.com", "--json")...)
	deadline := time.Date(2028, 3, 3, 23, 30, 0, 0, time.UTC)
	if err := json.Unmarshal([]byte(out), &inc); err != nil || inc.ReportedByName != "Mo" || inc.CustomerNoticeDue == nil ||
		!inc.CustomerNoticeDue.Equal(deadline) || !inc.RegulatorNoticeDue.Equal(deadline) || len(inc.Warnings) != 0 {
		t.Fatalf("incident report --json: %v %+v\n%s", err, inc, out)
	}
	id := strconv.FormatInt(inc.ID, 10)
	var list struct {
		Incidents []app.IncidentView `json:"incidents"`
		Count     int                `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("incident", "list", "--as", "vi@example.com", "--json")), &list); err != nil || list.Count != 1 || list.Incidents[0].ID != inc.ID {
		t.Fatalf("incident list --json: %v %+v", err, list)
	}
	refused("role (employee)", "incident", "list", "--as", "em@example.com")

	// The timeline: members add to it, viewers do not.
	if out := must("incident", "note", id, "--as", "mo@example.com", "Key", "revoked", "at", "23:41."); !strings.Contains(out, "timeline") {
		t.Fatalf("incident note: %s", out)
	}
	refused("role is viewer", "incident", "note", id, "--as", "vi@example.com", "Seen.")

	// The lifecycle: admins only, in order.
	refused("role is member", "incident", "update", id, "--as", "mo@example.com", "--status", "triaged", "--severity", "SEV2")
	refused("before containing it", "incident", "update", id, "--status", "contained")
	refused("severity", "incident", "update", id, "--status", "triaged", "--severity", "SEV9")
	show := func(as string) app.IncidentDetail {
		t.Helper()
		var d app.IncidentDetail
		if out := must("incident", "show", id, "--as", as, "--json"); json.Unmarshal([]byte(out), &d) != nil {
			t.Fatalf("incident show --json:\n%s", out)
		}
		return d
	}
	if d := show("vi@example.com"); d.Status != assay.IncidentReported || d.Severity != "" || len(d.Timeline) != 2 {
		t.Fatalf("refused moves changed the incident: %+v", d)
	}
	must("incident", "update", id, "--as", "root@example.com", "--status", "triaged", "--severity", "sev2", "--note", "Keys of production.")
	must("incident", "update", id, "--status", "contained", "--at", "2028-03-01T00:15")
	must("incident", "notice", id, "--to", "regulator", "--at", "2028-03-01T07:00")
	if out := must("incident", "update", id, "--as", "root@example.com", "--status", "resolved"); !strings.Contains(out, "resolved") ||
		!strings.Contains(out, "Customer notice due 2028-03-03T23:30:00Z") {
		t.Fatalf("incident update: %s", out)
	}
	// Past the deadline the customer notice is overdue (the regulator was told).
	if out, err := at("2028-03-04T09:00:00Z")("incident", "show", id); err != nil || !strings.Contains(out, "Customer notice overdue since 2028-03-03 23:30 UTC") ||
		strings.Contains(out, "Regulator notice overdue") {
		t.Fatalf("incident show after the deadline: %v\n%s", err, out)
	}

	// The review: admins only; a bad due date closes nothing.
	review := []string{"incident", "review", id, "--root-cause", "A key in a committed config file.", "--went-well", "Revoked in 11 minutes.",
		"--improve", "Scan commits for secrets", "--improve", "Shorter key lifetimes", "--owner", "mo@example.com"}
	refused("role is member", append(review, "--as", "mo@example.com")...)
	refused("not a date", append(review, "--due", "31/03/2028")...)
	refused("went well", "incident", "review", id, "--root-cause", "x", "--improve", "y")
	if d := show("root@example.com"); d.Status != assay.IncidentResolved || len(d.CorrectiveActions) != 0 {
		t.Fatalf("a refused review changed the incident: %s, %d actions", d.Status, len(d.CorrectiveActions))
	}
	var reviewed app.IncidentReviewed
	out = must(append(review, "--as", "root@example.com", "--due", "2028-03-31", "--json")...)
	if err := json.Unmarshal([]byte(out), &reviewed); err != nil || reviewed.Incident.Status != assay.IncidentClosed || len(reviewed.CorrectiveActions) != 2 ||
		reviewed.CorrectiveActions[0].OwnerName != "Mo" || reviewed.CorrectiveActions[0].DueDate.Format("2006-01-02") != "2028-03-31" {
		t.Fatalf("incident review --json: %v %+v\n%s", err, reviewed, out)
	}
	if d := show("mo@example.com"); d.Review == nil || len(d.CorrectiveActions) != 2 || d.Timeline[len(d.Timeline)-1].Kind != "review" {
		t.Fatalf("the reviewed incident: %+v", d)
	}

	// Corrective actions: Mo works on theirs; an admin verifies.
	var mine struct {
		CorrectiveActions []app.CorrectiveView `json:"corrective_actions"`
		Count             int                  `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("corrective", "list", "--as", "mo@example.com", "--owner", "me", "--incident", id, "--json")), &mine); err != nil || mine.Count != 2 {
		t.Fatalf("corrective list --owner me: %v %+v", err, mine)
	}
	ca := strconv.FormatInt(mine.CorrectiveActions[0].ID, 10)
	must("corrective", "update", ca, "--as", "mo@example.com", "--status", "in_progress", "--action", "Add a secret scanner to CI.")
	refused("Only an admin may reassign", "corrective", "update", ca, "--as", "mo@example.com", "--status", "verified", "--notes", "Works.")
	refused("Only an admin may reassign", "corrective", "update", ca, "--as", "mo@example.com", "--due", "2028-06-30")
	refused("Unknown status", "corrective", "update", ca, "--as", "mo@example.com", "--status", "finished")
	refused("Only admins", "corrective", "add", "--as", "mo@example.com", "--title", "X", "--action", "Y", "--due", "2028-04-01")
	refused("not a date", "corrective", "add", "--title", "Backups untested", "--action", "Test a restore.", "--due", "April")
	refused("Say what action", "corrective", "add", "--title", "Backups untested", "--due", "2028-04-01")
	out = must("corrective", "add", "--title", "Backups untested", "--action", "Test a restore.", "--due", "2028-02-29", "--owner", "root@example.com")
	if !strings.Contains(out, "due 2028-02-29") || !strings.Contains(out, "owner Root") {
		t.Fatalf("corrective add: %s", out)
	}
	var all struct {
		CorrectiveActions []app.CorrectiveView `json:"corrective_actions"`
		Count             int                  `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("corrective", "list", "--as", "vi@example.com", "--json")), &all); err != nil || all.Count != 3 {
		t.Fatalf("corrective list: %v %d", err, all.Count)
	}
	var backups app.CorrectiveView
	for _, c := range all.CorrectiveActions {
		if c.Title == "Backups untested" {
			backups = c
		}
	}
	if !backups.Overdue || backups.Status != assay.CorrectiveOpen {
		t.Fatalf("an action due 2028-02-29, on 2028-03-01: %+v", backups)
	}
	refused("Only an admin or the action's owner", "corrective", "update", strconv.FormatInt(backups.ID, 10), "--as", "mo@example.com", "--status", "done")
	refused("role (employee)", "corrective", "list", "--as", "em@example.com")
	var c app.CorrectiveView
	if err := json.Unmarshal([]byte(must("corrective", "show", ca, "--as", "vi@example.com", "--json")), &c); err != nil ||
		c.Status != assay.CorrectiveInProgress || c.Action != "Add a secret scanner to CI." {
		t.Fatalf("refused updates changed the action: %v %+v", err, c)
	}
	must("corrective", "update", ca, "--as", "mo@example.com", "--status", "done")
	refused("Say how the action was shown", "corrective", "update", ca, "--as", "root@example.com", "--status", "verified")
	out = must("corrective", "update", ca, "--as", "root@example.com", "--status", "verified", "--notes", "CI failed on a planted key.", "--json")
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.Status != assay.CorrectiveVerified || c.VerifiedByName != "Root" {
		t.Fatalf("verify: %v %+v", err, c)
	}
	if out := must("corrective", "show", ca); !strings.Contains(out, "Verified by Root") {
		t.Fatalf("corrective show: %s", out)
	}
}
