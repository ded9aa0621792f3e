package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIPolicies drives a policy from template to published and accepted
// from the command line, through the same services and checks as the web:
// only admins adopt, edit and move versions, the last editor does not
// approve, an employee accepts only for themself, --json prints the API's
// documents, and refused or bad input changes nothing.
func TestCLIPolicies(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	must, refused := e.must, e.refused
	e.root()
	e.user("admin", "ann@example.com", "Ann")
	e.user("member", "mo@example.com", "Mo")
	e.user("employee", "em@example.com", "Em")
	addPeople(t, e.data, "em@example.com", "pat@example.com")

	// Adoption: refusals first, then the operator adopts one template.
	refused("Only admins", "policy", "adopt", "backup", "--as", "mo@example.com")
	refused("No policy template", "policy", "adopt", "backup", "no-such", "--owner", "root@example.com")
	refused("owner", "policy", "adopt", "backup") // the operator names the owner
	var adopted struct {
		Policies []assay.Policy `json:"policies"`
		Count    int            `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("policy", "adopt", "backup", "--owner", "root@example.com", "--json")), &adopted); err != nil ||
		adopted.Count != 1 || adopted.Policies[0].OwnerName != "Root" || adopted.Policies[0].Latest.Version != "1.0" {
		t.Fatalf("adopt --json: %v %+v", err, adopted)
	}
	pol := adopted.Policies[0]
	id := strconv.FormatInt(pol.ID, 10)
	refused("already adopted", "policy", "adopt", "backup", "--as", "root@example.com")
	var list struct {
		Policies []app.PolicyView `json:"policies"`
		Count    int              `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("policy", "list", "--as", "mo@example.com", "--json")), &list); err != nil || list.Count != 1 {
		t.Fatalf("list --json: %v %+v", err, list)
	}
	refused("employee", "policy", "list", "--as", "em@example.com")

	// Root edits the draft; a member may not; an empty file changes nothing.
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(body, []byte("# Backup\n\nWe back up every night and test a restore each quarter.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.md")
	if err := os.WriteFile(empty, []byte("  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused("Only admins", "policy", "edit", id, "--file", body, "--as", "mo@example.com")
	refused("empty", "policy", "edit", id, "--file", empty, "--as", "root@example.com")
	var v assay.PolicyVersion
	if err := json.Unmarshal([]byte(must("policy", "show", id, "--version", "1.0", "--json")), &v); err != nil || v.Body != pol.Latest.Body || v.Body == "" {
		t.Fatalf("the refused edits changed the draft: %v\n%s", err, v.Body)
	}
	if err := json.Unmarshal([]byte(must("policy", "edit", id, "--file", body, "--as", "root@example.com", "--json")), &v); err != nil ||
		v.EditedByName != "Root" || !strings.Contains(v.Body, "each quarter") {
		t.Fatalf("edit --json: %v %+v", err, v)
	}

	// Draft, in review, approved by someone other than the editor, published.
	must("policy", "submit", id, "--as", "root@example.com")
	refused("someone else must approve", "policy", "approve", id, "--as", "root@example.com")
	refused("named person", "policy", "approve", id)
	refused("Only admins", "policy", "approve", id, "--as", "mo@example.com")
	if out := must("policy", "show", id, "--version", "1.0", "--json"); !strings.Contains(out, `"status": "in_review"`) {
		t.Fatalf("after the refused approvals:\n%s", out)
	}
	if err := json.Unmarshal([]byte(must("policy", "approve", id, "--as", "ann@example.com", "--json")), &v); err != nil || v.ApprovedByName != "Ann" {
		t.Fatalf("approve: %v %+v", err, v)
	}
	if out := must("policy", "publish", id, "--as", "root@example.com"); !strings.Contains(out, "is now published") {
		t.Fatalf("publish: %s", out)
	}

	// Acceptance: Em accepts for themself; an employee may not record for
	// someone else; an admin records Pat's acceptance.
	var a assay.PolicyAcceptance
	if err := json.Unmarshal([]byte(must("policy", "accept", id, "--as", "em@example.com", "--json")), &a); err != nil ||
		a.PersonEmail != "em@example.com" || a.ByName != "Em" || a.Version != "1.0" {
		t.Fatalf("accept --json: %v %+v", err, a)
	}
	refused("Only admins", "policy", "accept", id, "--as", "em@example.com", "--person", "pat@example.com")
	refused("Only a person", "policy", "accept", id) // the operator is no one on the roster
	refused("not linked", "policy", "accept", id, "--as", "mo@example.com")
	refused("No one on the roster", "policy", "accept", id, "--as", "root@example.com", "--person", "nobody@example.com")
	var acc app.PolicyAcceptances
	if err := json.Unmarshal([]byte(must("policy", "acceptances", id, "--json")), &acc); err != nil || acc.Count != 1 || len(acc.Figures) != 1 {
		t.Fatalf("acceptances after the refusals: %v %+v", err, acc)
	}
	must("policy", "accept", id, "--as", "root@example.com", "--person", "pat@example.com")
	if out := must("policy", "acceptances", id); !strings.Contains(out, "accepted by 2 of 2") || !strings.Contains(out, "Pat") {
		t.Fatalf("acceptances:\n%s", out)
	}

	// A new version and the diff between the two.
	if err := os.WriteFile(body, []byte("# Backup\n\nWe back up every hour and test a restore each quarter.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused("changelog", "policy", "edit", id, "--file", body, "--as", "root@example.com")
	must("policy", "edit", id, "--file", body, "--changelog", "Hourly backups", "--as", "root@example.com")
	var d app.PolicyDiff
	if err := json.Unmarshal([]byte(must("policy", "diff", id, "--from", "1.0", "--to", "1.1", "--json")), &d); err != nil ||
		d.Added != 1 || d.Removed != 1 || d.To.Version != "1.1" {
		t.Fatalf("diff --json: %v %+v", err, d)
	}
	if out := must("policy", "diff", id, "--from", "1.0", "--to", "1.1"); !strings.Contains(out, "+ We back up every hour") {
		t.Fatalf("diff:\n%s", out)
	}
	refused("not a version", "policy", "diff", id, "--from", "7.0")
	if out := must("policy", "show", id); !strings.Contains(out, "1.1") || !strings.Contains(out, "Hourly backups") {
		t.Fatalf("show:\n%s", out)
	}
}

// addPeople puts people on the roster (the people commands are not part
// of this slice).
func addPeople(t *testing.T, data string, emails ...string) {
	t.Helper()
	ctx := context.Background()
	m := NewMain(Config{DataDir: data, PasswordParams: fastParams})
	if err := m.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	org, err := firstOrg(ctx, m.Store, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emails {
		name := strings.ToUpper(e[:1]) + e[1:strings.Index(e, "@")]
		if _, err := m.Store.Org(org.ID).CreatePerson(ctx, assay.SystemActor, assay.NewPerson{Name: name, Email: e, EmploymentType: assay.EmploymentEmployee}); err != nil {
			t.Fatal(err)
		}
	}
}
