package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIScope: the scope and the system description from the command
// line: an admin sets them, a member is refused, bad input changes nothing.
func TestCLIScope(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
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

	var doc struct {
		Scope  assay.Scope             `json:"scope"`
		System assay.SystemDescription `json:"system_description"`
	}
	out := must("scope", "set", "--as", "root@example.com", "--categories", "availability,confidentiality", "--json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil || !doc.Scope.Has("availability") || !doc.Scope.Has("confidentiality") {
		t.Fatalf("scope set --json: %v %+v\n%s", err, doc, out)
	}
	out = must("scope", "system", "--services", "Payroll for small firms", "--user-entity-controls", "Customers manage their users",
		"--subservice", "AWS:carve_out:Hosting: compute and storage")
	if !strings.Contains(out, "Payroll for small firms") || !strings.Contains(out, "AWS (carve_out): Hosting: compute and storage") {
		t.Fatalf("scope system:\n%s", out)
	}
	must("scope", "system", "--infrastructure", "AWS eu-west-1")
	if err := json.Unmarshal([]byte(must("scope", "show", "--as", "mo@example.com", "--json")), &doc); err != nil ||
		doc.System.Services != "Payroll for small firms" || doc.System.Infrastructure != "AWS eu-west-1" || len(doc.System.Subservices) != 1 {
		t.Fatalf("scope show --json: %v %+v", err, doc)
	}

	// A member may not change either.
	if _, err := cli("scope", "set", "--as", "mo@example.com", "--categories", "privacy"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member set the scope: %v", err)
	}
	if _, err := cli("scope", "system", "--as", "mo@example.com", "--services", "Mine"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member edited the system description: %v", err)
	}
	// Bad input changes nothing.
	if _, err := cli("scope", "set", "--categories", "security,astrology"); err == nil || !strings.Contains(err.Error(), "astrology") {
		t.Fatalf("an unknown category: %v", err)
	}
	if _, err := cli("scope", "system", "--services", "Other", "--subservice", "GCP:outsourced:Hosting"); err == nil || !strings.Contains(err.Error(), "carve_out or inclusive") {
		t.Fatalf("an unknown method: %v", err)
	}
	if _, err := cli("scope", "system", "--subservice", "just a name"); err == nil {
		t.Fatal("a subservice without a method was accepted")
	}
	if err := json.Unmarshal([]byte(must("scope", "show", "--json")), &doc); err != nil || doc.Scope.Has("privacy") ||
		doc.System.Services != "Payroll for small firms" || doc.System.Subservices[0].Name != "AWS" {
		t.Fatalf("the refused changes were written: %v %+v", err, doc)
	}
}
