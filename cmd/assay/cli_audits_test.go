package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIAudits: an engagement shown, moved on, given an invited auditor
// and a corrective action from the command line, through the services the
// web calls; a member is refused and bad input changes nothing.
func TestCLIAudits(t *testing.T) {
	t.Parallel()
	data := migratedDataDir(t) // data_template_test.go
	cli := func(stdin string, args ...string) (string, error) {
		t.Helper()
		return runCLI(t, stdin, append([]string{"--data", data, "--now", "2028-03-01"}, args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli("a long passphrase\n", args...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")
	must("audit", "create", "--type", "type_2", "--name", "FY28", "--firm", "Checkers LLP", "--start", "2027-09-01", "--end", "2028-02-29")
	must("audit", "create", "--type", "type_1", "--name", "Other", "--firm", "Checkers LLP", "--as-of", "2028-01-31")

	var v app.AuditView
	if err := json.Unmarshal([]byte(must("audit", "show", "1", "--json")), &v); err != nil || v.Name != "FY28" || v.Status != assay.AuditPlanned || v.Warnings == nil {
		t.Fatalf("audit show --json: %v %+v", err, v)
	}
	if out := must("audit", "show", "1"); !strings.Contains(out, "FY28") || !strings.Contains(out, "Samples: 0") {
		t.Fatalf("audit show:\n%s", out)
	}

	// Status: the admin moves it on; a member may not; a bogus status changes nothing.
	if _, err := cli("", "audit", "status", "1", "--to", "fieldwork", "--as", "mo@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member moved an engagement: %v", err)
	}
	if _, err := cli("", "audit", "status", "1", "--to", "done"); err == nil || assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a bogus status: %v", err)
	}
	if out := must("audit", "status", "1", "--to", "fieldwork", "--as", "root@example.com"); !strings.Contains(out, "is now fieldwork") {
		t.Fatalf("audit status: %s", out)
	}

	// Invite: the password is printed once; the auditor sees their engagement only.
	if _, err := cli("", "audit", "invite", "1", "--email", "x@firm.example", "--name", "X", "--expires", "2028-06-30", "--as", "mo@example.com"); err == nil ||
		!strings.Contains(err.Error(), "Only admins invite") {
		t.Fatalf("a member invited an auditor: %v", err)
	}
	if _, err := cli("", "audit", "invite", "1", "--email", "x@firm.example", "--name", "X", "--expires", "30/06/2028"); err == nil {
		t.Fatal("a bad date was accepted")
	}
	out := must("audit", "invite", "1", "--email", "aud@firm.example", "--name", "Ava Auditor", "--expires", "2028-06-30")
	if !strings.Contains(out, "Sign in as aud@firm.example with password ") || !strings.Contains(out, "2028-06-30 23:59:59") {
		t.Fatalf("audit invite:\n%s", out)
	}
	var doc struct {
		Audits []app.AuditView `json:"audits"`
		Count  int             `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("audit", "list", "--json", "--as", "aud@firm.example")), &doc); err != nil || doc.Count != 1 || doc.Audits[0].ID != 1 {
		t.Fatalf("the invited auditor's list: %v %+v", err, doc)
	}
	if _, err := cli("", "audit", "show", "2", "--as", "aud@firm.example"); err == nil || assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("an invited auditor opened another engagement: %v", err)
	}
	if out := must("audit", "show", "1", "--as", "aud@firm.example"); !strings.Contains(out, "FY28") {
		t.Fatalf("the invited auditor's engagement:\n%s", out)
	}

	// Corrective action from an exception: admins open it, members may not,
	// an unknown control opens nothing.
	if _, err := cli("", "audit", "corrective", "1", "--control", "NOPE-99", "--exception", "Missing review"); err == nil || !strings.Contains(err.Error(), "No control") {
		t.Fatalf("an unknown control: %v", err)
	}
	if _, err := cli("", "audit", "corrective", "1", "--control", "ACC-01", "--exception", "Missing review", "--as", "mo@example.com"); err == nil {
		t.Fatal("a member opened a corrective action")
	}
	out = must("audit", "corrective", "1", "--control", "ACC-01", "--exception", "Quarterly access review missing for Q3", "--owner", "mo@example.com", "--json")
	var c app.CorrectiveView
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.OwnerName != "Mo" || !strings.Contains(c.Title, "Q3") {
		t.Fatalf("audit corrective --json: %v\n%s", err, out)
	}
	if out := must("corrective", "list"); strings.Count(out, "Quarterly access review") != 1 {
		t.Fatalf("corrective list after the refusals:\n%s", out)
	}
}
