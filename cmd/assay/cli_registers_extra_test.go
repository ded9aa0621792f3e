package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIRegisterImportAndAssessment: risk and vendor registers imported
// from files and a risk assessment recorded from the command line; a member
// is refused and a file with a bad row adds nothing.
func TestCLIRegisterImportAndAssessment(t *testing.T) {
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
	file := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")

	risks := file("risks.csv", "title,category,likelihood,impact,owner_email,controls\n"+
		"Laptop theft,security,3,4,mo@example.com,ACC-01\nVendor outage,availability,2,5,,\n")
	if out := must("risk", "import", risks, "--json"); strings.TrimSpace(out) != `{`+"\n"+`  "imported": 2`+"\n}" {
		t.Fatalf("risk import --json:\n%s", out)
	}
	badRisks := file("bad.csv", "title,category,likelihood,impact\nFine,security,1,1\nBad,security,9,1\n")
	if _, err := cli("risk", "import", badRisks); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("a file with a bad row (line 3): %v", err)
	}
	if _, err := cli("risk", "import", risks, "--as", "mo@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member imported risks: %v", err)
	}
	var list struct {
		Count int `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("risk", "list", "--json")), &list); err != nil || list.Count != 2 {
		t.Fatalf("risks after the refusals: %d %v", list.Count, err)
	}

	vendors := file("vendors.csv", "name,classification,criticality,owner_email\nPaystream,restricted,high,mo@example.com\n")
	if out := must("vendor", "import", vendors); !strings.Contains(out, "Imported 1 vendors.") {
		t.Fatalf("vendor import:\n%s", out)
	}
	if _, err := cli("vendor", "import", vendors); err == nil {
		t.Fatal("a vendor imported twice")
	}
	if _, err := cli("vendor", "import", vendors, "--as", "mo@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member imported vendors: %v", err)
	}
	if out := must("vendor", "list"); strings.Count(out, "Paystream") != 1 {
		t.Fatalf("vendor list:\n%s", out)
	}

	// The assessment.
	if _, err := cli("risk", "assess", "--as", "mo@example.com", "--date", "2028-01-15", "--summary", "Annual", "--approver", "root@example.com"); err == nil ||
		!strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member recorded an assessment: %v", err)
	}
	if _, err := cli("risk", "assess", "--date", "2028-06-01", "--summary", "Annual", "--approver", "root@example.com"); err == nil || !strings.Contains(err.Error(), "future") {
		t.Fatalf("an assessment in the future: %v", err)
	}
	var ra assay.RiskAssessment
	out := must("risk", "assess", "--date", "2028-01-15", "--summary", "Annual review", "--approver", "root@example.com", "--json")
	if err := json.Unmarshal([]byte(out), &ra); err != nil || ra.Risks != 2 || ra.ApproverName != "Root" {
		t.Fatalf("risk assess --json: %v %+v\n%s", err, ra, out)
	}
}
