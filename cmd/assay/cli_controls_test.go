package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIControls: controls from the command line through the services the
// web uses: the operator adds a custom control and hands it to a member, the
// member sets its status, not another's, and adds none; bad input changes
// nothing.
func TestCLIControls(t *testing.T) {
	t.Parallel()
	data := migratedDataDir(t) // data_template_test.go
	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "a long passphrase\n", append([]string{"--data", data}, args...)...)
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

	var list struct {
		Controls []assay.Control `json:"controls"`
		Count    int             `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("control", "list", "--json")), &list); err != nil || list.Count == 0 || list.Count != len(list.Controls) {
		t.Fatalf("control list --json: %v %d", err, list.Count)
	}
	total, other := list.Count, list.Controls[0].ID

	var c assay.Control
	out := must("control", "add", "--id", "cus-01", "--name", "Badge audit", "--criteria", "CC6.4", "--owner", "mo@example.com", "--json")
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ID != "CUS-01" || !c.Custom || c.OwnerName != "Mo" {
		t.Fatalf("control add --json: %v %+v\n%s", err, c, out)
	}
	if out := must("control", "list", "--as", "mo@example.com", "--owner", "me"); !strings.Contains(out, "CUS-01") || strings.Contains(out, other) {
		t.Fatalf("control list --owner me:\n%s", out)
	}
	if out := must("control", "update", "CUS-01", "--as", "mo@example.com", "--status", "in_progress", "--notes", "Started"); !strings.Contains(out, "Status: in_progress") {
		t.Fatalf("the owner's update:\n%s", out)
	}
	if out := must("control", "show", "cus-01"); !strings.Contains(out, "Notes: Started") {
		t.Fatalf("control show:\n%s", out)
	}

	// Refusals for the member's role.
	if _, err := cli("control", "update", other, "--as", "mo@example.com", "--status", "implemented"); err == nil || !strings.Contains(err.Error(), "Members may change only the controls they own") {
		t.Fatalf("a member changed a control they do not own: %v", err)
	}
	if _, err := cli("control", "update", "CUS-01", "--as", "mo@example.com", "--name", "Mine now"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member renamed a control: %v", err)
	}
	if _, err := cli("control", "add", "--as", "mo@example.com", "--id", "CUS-02", "--name", "X", "--criteria", "CC6.4"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member added a control: %v", err)
	}

	// Bad input changes nothing.
	if _, err := cli("control", "add", "--id", "CUS-03", "--name", "Bad", "--criteria", "CC6.4", "--frequency", "hourly"); err == nil {
		t.Fatal("a frequency of hourly was accepted")
	}
	if _, err := cli("control", "update", "CUS-01", "--status", "finished"); err == nil {
		t.Fatal("a status of finished was accepted")
	}
	if _, err := cli("control", "list", "--owner", "nobody@example.com"); err == nil {
		t.Fatal("an unknown owner was accepted")
	}
	if err := json.Unmarshal([]byte(must("control", "show", "CUS-01", "--json")), &c); err != nil || c.Status != assay.StatusInProgress {
		t.Fatalf("the refused update changed the control: %+v %v", c, err)
	}
	if err := json.Unmarshal([]byte(must("control", "list", "--json")), &list); err != nil || list.Count != total+1 {
		t.Fatalf("controls after the refusals: %d, want %d (%v)", list.Count, total+1, err)
	}
}
