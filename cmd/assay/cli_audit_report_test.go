package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIAuditReport: the assertion and the system description printed
// and saved as Markdown and PDF, signed with the digest printed, shown in
// the package; a member is refused, an auditor of another engagement finds
// nothing, a changed text cannot be signed.
func TestCLIAuditReport(t *testing.T) {
	t.Parallel()
	data := migratedDataDir(t) // data_template_test.go
	cli := func(stdin string, args ...string) (string, error) {
		t.Helper()
		return runCLI(t, stdin, append([]string{"--data", data, "--now", "2028-12-31"}, args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli("a long passphrase\n", args...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root Person", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")
	must("audit", "create", "--type", "type_2", "--name", "CY28", "--firm", "Checkers LLP", "--start", "2028-01-01", "--end", "2028-12-31")
	must("audit", "create", "--type", "type_1", "--name", "Other", "--firm", "Checkers LLP", "--as-of", "2028-06-30")
	must("audit", "invite", "2", "--email", "other@firm.example", "--name", "Other", "--expires", "2029-06-30")

	md := must("audit", "assertion", "1")
	if !strings.Contains(md, "throughout the period 1 January 2028 to 31 December 2028") || !strings.Contains(md, "Example Inc") {
		t.Fatalf("assertion:\n%s", md)
	}
	pdfPath := filepath.Join(t.TempDir(), "description.pdf")
	if out := must("audit", "description", "1", "--format", "pdf", "--out", pdfPath); !strings.Contains(out, "Wrote the description of audit 1") {
		t.Fatalf("description --out: %s", out)
	}
	if b, err := os.ReadFile(pdfPath); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("the PDF: %v", err)
	}
	if _, err := cli("", "audit", "assertion", "1", "--format", "pdf"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("a PDF to the terminal: %v", err)
	}
	if _, err := cli("", "audit", "assertion", "1", "--as", "mo@example.com"); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member read the assertion: %v", err)
	}
	if _, err := cli("", "audit", "assertion", "1", "--as", "other@firm.example"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("another engagement's auditor read the assertion: %v", err)
	}

	var text assay.ReportText
	if err := json.Unmarshal([]byte(must("audit", "assertion", "1", "--json")), &text); err != nil || text.Digest != assay.TextDigest(md) {
		t.Fatalf("assertion --json: %v %+v", err, text)
	}
	if _, err := cli("", "audit", "sign", "1", "--document", "assertion", "--sha256", assay.TextDigest("old"), "--signer", "root@example.com", "--title", "CEO"); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Fatalf("a stale digest: %v", err)
	}
	if _, err := cli("", "audit", "sign", "1", "--document", "assertion", "--sha256", text.Digest, "--name", "Mo", "--title", "CEO", "--as", "mo@example.com"); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member signed: %v", err)
	}
	if out := must("audit", "sign", "1", "--document", "assertion", "--sha256", text.Digest, "--signer", "root@example.com", "--title", "Chief Executive Officer"); !strings.Contains(out, "Root Person (Chief Executive Officer) signed the assertion") {
		t.Fatalf("sign: %s", out)
	}
	if out := must("audit", "report", "1"); !strings.Contains(out, "Management's assertion: sha256 "+text.Digest+"; signed by Root Person") || !strings.Contains(out, "Description of the system: sha256") {
		t.Fatalf("report:\n%s", out)
	}
}
