package storetest

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

// AuditReportTampering changes the report package's rows behind the
// store's back, one at a time, and checks that verify names each: a
// digest signed or uploaded cannot change unseen, nor a comment's
// resolution, nor a row be added or deleted.
func AuditReportTampering(t *testing.T, s store.Store, raw *sql.DB) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Report Package", "report-package", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	o := s.Org(org.ID)
	a := must(o.CreateAudit(ctx, Actor, assay.NewAudit{Type: assay.AuditType1, Name: "T1", Firm: "F", AsOf: day(2026, 1, 31)})).get(t)
	digest := assay.TextDigest("signed")
	must(o.SignAuditDocument(ctx, Actor, a.ID, assay.NewSignoff{Document: assay.ReportAssertion, Digest: digest, SignerName: "Ada", SignerTitle: "CEO"})).get(t)
	f := must(o.AddAuditReportFile(ctx, Actor, a.ID, assay.NewReportFile{Kind: assay.ReportDraft, Filename: "d.pdf", Digest: digest})).get(t)
	must(o.AddAuditReportComment(ctx, Actor, assay.RoleAuditor, a.ID, f.ID, "A comment")).get(t)
	if _, err := verifyStore(ctx, s, ledger.Options{}); err != nil {
		t.Fatalf("verify before tampering: %v", err)
	}
	other := strings.Repeat("0", 64)
	for _, c := range []struct{ change, undo, want string }{
		{`UPDATE audit_signoffs SET digest = '` + other + `'`, `UPDATE audit_signoffs SET digest = '` + digest + `'`, "Sign-off signoff:"},
		{`UPDATE audit_report_files SET digest = '` + other + `'`, `UPDATE audit_report_files SET digest = '` + digest + `'`, "Report file report_file:"},
		{`UPDATE audit_report_comments SET resolved_at = '2026-01-01T00:00:00.000000Z', resolved_by_name = 'x'`,
			`UPDATE audit_report_comments SET resolved_at = NULL, resolved_by_name = ''`, "Report comment report_comment:"},
		{`INSERT INTO audit_signoffs (org_id, audit_id, document, digest, signer_name, signer_title, recorded_by_name, signed_at)
			SELECT org_id, audit_id, document, digest, 'Forged', signer_title, recorded_by_name, signed_at FROM audit_signoffs`,
			`DELETE FROM audit_signoffs WHERE signer_name = 'Forged'`, "added behind Assay's back"},
		{`DELETE FROM audit_report_comments`, ``, "the row was deleted"},
	} {
		if _, err := raw.ExecContext(ctx, c.change); err != nil {
			t.Fatalf("%s: %v", c.change, err)
		}
		_, err := verifyStore(ctx, s, ledger.Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("after %s: verify = %v, want %q", c.change, err, c.want)
		}
		if c.undo != "" {
			if _, err := raw.ExecContext(ctx, c.undo); err != nil {
				t.Fatalf("%s: %v", c.undo, err)
			}
		}
	}
}
