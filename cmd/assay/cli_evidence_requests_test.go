package main

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIEvidenceRequests: an auditor asks for evidence, the control's owner
// answers with evidence they added, the auditor accepts; evidence is
// attached to more controls. Wrong roles are refused and bad input changes
// nothing.
func TestCLIEvidenceRequests(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "a long passphrase\n", append([]string{"--data", data, "--now", "2028-02-01"}, args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli(args...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")
	must("user", "create", "--role", "auditor", "--email", "au@example.com", "--name", "Au", "--password-stdin")
	must("control", "update", "ACC-02", "--owner", "mo@example.com")

	var ev assay.Evidence
	if err := json.Unmarshal([]byte(must("evidence", "add", "--as", "mo@example.com", "--control", "ACC-02", "--title", "Q4 review",
		"--note", "Reviewed every account.", "--json")), &ev); err != nil || ev.ID == 0 {
		t.Fatalf("evidence add: %v %+v", err, ev)
	}
	evID := strconv.FormatInt(ev.ID, 10)

	var req app.EvidenceRequestView
	out := must("evidence", "request", "create", "--as", "au@example.com", "--control", "acc-02", "--description", "The Q4 access review",
		"--due", "2028-02-15", "--json")
	if err := json.Unmarshal([]byte(out), &req); err != nil || req.AssigneeName != "Mo" || req.Status != assay.RequestOpen || req.Overdue {
		t.Fatalf("request create --json: %v %+v\n%s", err, req, out)
	}
	id := strconv.FormatInt(req.ID, 10)
	if out := must("evidence", "request", "list", "--as", "mo@example.com", "--assignee", "me"); !strings.Contains(out, "The Q4 access review") {
		t.Fatalf("request list --assignee me:\n%s", out)
	}
	if out := must("evidence", "request", "submit", id, "--as", "mo@example.com", "--evidence", evID, "--response", "Attached"); !strings.Contains(out, "submitted") ||
		!strings.Contains(out, "Q4 review") {
		t.Fatalf("request submit:\n%s", out)
	}
	// Mo may not decide on the answer, nor ask for evidence.
	if _, err := cli("evidence", "request", "decide", id, "--as", "mo@example.com", "--accept"); err == nil || !strings.Contains(err.Error(), "or an admin decides") {
		t.Fatalf("the assignee decided: %v", err)
	}
	if _, err := cli("evidence", "request", "create", "--as", "mo@example.com", "--control", "ACC-02", "--description", "x", "--due", "2028-02-15"); err == nil ||
		!strings.Contains(err.Error(), "does not allow") {
		t.Fatalf("a member asked for evidence: %v", err)
	}
	// Bad input changes nothing.
	if _, err := cli("evidence", "request", "decide", id, "--as", "au@example.com", "--accept", "--return"); err == nil {
		t.Fatal("--accept --return was accepted")
	}
	if _, err := cli("evidence", "request", "create", "--control", "ACC-02", "--description", "Late", "--due", "2027-01-01"); err == nil || !strings.Contains(err.Error(), "past") {
		t.Fatalf("a due date in the past: %v", err)
	}
	if err := json.Unmarshal([]byte(must("evidence", "request", "show", id, "--json")), &req); err != nil || req.Status != assay.RequestSubmitted {
		t.Fatalf("request show --json: %v %+v", err, req)
	}
	out = must("evidence", "request", "decide", id, "--as", "au@example.com", "--accept", "--reason", "Complete", "--json")
	if err := json.Unmarshal([]byte(out), &req); err != nil || req.Status != assay.RequestAccepted || req.DecidedByName != "Au" {
		t.Fatalf("request decide: %v %+v\n%s", err, req, out)
	}
	var list struct {
		Requests []app.EvidenceRequestView `json:"requests"`
		Count    int                       `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("evidence", "request", "list", "--json")), &list); err != nil || list.Count != 1 {
		t.Fatalf("request list --json: %v %+v", err, list)
	}

	// Attaching: Mo may not attach to a control he does not own; the
	// operator may; an unknown control changes nothing.
	if _, err := cli("evidence", "attach", evID, "--as", "mo@example.com", "--control", "ACC-01"); err == nil {
		t.Fatal("a member attached evidence to a control they do not own")
	}
	if _, err := cli("evidence", "attach", evID, "--control", "ACC-01,NOPE-99"); err == nil {
		t.Fatal("an unknown control was accepted")
	}
	if out := must("evidence", "list", "--control", "ACC-01"); strings.Contains(out, "Q4 review") {
		t.Fatalf("the refused attachments were written:\n%s", out)
	}
	if err := json.Unmarshal([]byte(must("evidence", "attach", evID, "--control", "acc-01", "--json")), &ev); err != nil ||
		!slices.Equal(ev.Controls, []string{"ACC-01", "ACC-02"}) {
		t.Fatalf("evidence attach --json: %v %+v", err, ev.Controls)
	}
	if out := must("evidence", "attach", evID, "--detach", "ACC-01"); !strings.Contains(out, "is for ACC-02.") {
		t.Fatalf("evidence attach --detach:\n%s", out)
	}
}
