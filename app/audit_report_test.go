package app_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
)

// The report package: admins and the engagement's auditors read it; an
// auditor invited for another engagement finds nothing; members, viewers
// and employees are refused; admins sign, the auditor uploads, both
// comment, admins resolve. A later change to the scope pages leaves the
// signed version out of date.
func TestAuditReportAuthorisation(t *testing.T) {
	e := newEnv(t)
	blobs, err := evidence.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustDefault()
	ap, err := app.New(app.Config{Store: e.db, Clock: e.clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList, Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	e.app = ap
	admin, member, viewer, employee, auditor := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember),
		e.principal(t, assay.RoleViewer), e.principal(t, assay.RoleEmployee), e.principal(t, assay.RoleAuditor)
	n := assay.NewAudit{Type: assay.AuditType2, Name: "FY28", Firm: "Checkers LLP",
		PeriodStart: ptr(time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)), PeriodEnd: ptr(time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC))}
	one, err := e.app.CreateAudit(e.ctx, admin, n)
	if err != nil {
		t.Fatal(err)
	}
	n.Name = "Other"
	two, err := e.app.CreateAudit(e.ctx, admin, n)
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2028, 6, 30, 0, 0, 0, 0, time.UTC)
	inv, err := e.app.InviteAuditor(e.ctx, admin, two.ID, app.AuditorInvite{Email: "other@firm.example", Name: "Other", Expires: &exp, DateOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	otherAuditor := e.app.PrincipalFor(inv.User, "cli")

	for _, p := range []app.Principal{member, viewer, employee} {
		_, err := e.app.AuditReportText(e.ctx, p, one.ID, assay.ReportAssertion)
		wantCode(t, string(p.User.Role)+" reads the assertion", err, assay.EFORBIDDEN)
		_, err = e.app.AuditReportPackage(e.ctx, p, one.ID)
		wantCode(t, string(p.User.Role)+" reads the package", err, assay.EFORBIDDEN)
	}
	_, err = e.app.AuditReportDownload(e.ctx, otherAuditor, one.ID, assay.ReportDescription, "pdf")
	wantCode(t, "another engagement's auditor", err, assay.ENOTFOUND)
	_, err = e.app.AuditReportDownload(e.ctx, admin, one.ID, assay.ReportDescription, "docx")
	wantCode(t, "unknown format", err, assay.EINVALID)

	text, err := e.app.AuditReportText(e.ctx, auditor, one.ID, assay.ReportAssertion)
	if err != nil || !strings.Contains(text.Markdown, "throughout the period 1 September 2027 to 29 February 2028") ||
		!strings.Contains(text.Markdown, "Checkers LLP") || text.Digest != assay.TextDigest(text.Markdown) {
		t.Fatalf("assertion: %v\n%s", err, text.Markdown)
	}
	pdf, err := e.app.AuditReportDownload(e.ctx, admin, one.ID, assay.ReportDescription, "pdf")
	if err != nil || !strings.HasPrefix(string(pdf.Body), "%PDF-") || pdf.Name != "audit-1-description.pdf" {
		t.Fatalf("description pdf: %v %q", err, pdf.Name)
	}

	desc, err := e.app.AuditReportText(e.ctx, admin, one.ID, assay.ReportDescription)
	if err != nil {
		t.Fatal(err)
	}
	sign := assay.NewSignoff{Document: assay.ReportDescription, Digest: desc.Digest, SignerName: "Ada Chief", SignerTitle: "Chief Executive Officer"}
	for _, p := range []app.Principal{member, auditor} {
		_, err = e.app.SignAuditDocument(e.ctx, p, one.ID, sign)
		wantCode(t, string(p.User.Role)+" signs", err, assay.EFORBIDDEN)
	}
	_, err = e.app.SignAuditDocument(e.ctx, otherAuditor, one.ID, sign)
	wantCode(t, "another engagement's auditor signs", err, assay.ENOTFOUND)
	stale := sign
	stale.Digest = assay.TextDigest("something else")
	_, err = e.app.SignAuditDocument(e.ctx, admin, one.ID, stale)
	wantCode(t, "sign a text that changed", err, assay.ECONFLICT)
	byUser := sign
	byUser.SignerUserID = member.User.ID
	_, err = e.app.SignAuditDocument(e.ctx, admin, one.ID, byUser)
	wantCode(t, "a member as the signer", err, assay.EINVALID)
	byUser.SignerUserID = admin.User.ID
	s, err := e.app.SignAuditDocument(e.ctx, admin, one.ID, byUser)
	if err != nil || s.SignerName != admin.User.Name || s.Digest != desc.Digest {
		t.Fatalf("sign: %+v %v", s, err)
	}
	pkg, err := e.app.AuditReportPackage(e.ctx, auditor, one.ID)
	if err != nil || !pkg.Documents[1].Current || pkg.Documents[1].OutOfDate || pkg.Documents[0].Signoff != nil {
		t.Fatalf("package after signing: %+v %v", pkg.Documents, err)
	}
	if _, err := e.app.UpdateSystemDescription(e.ctx, admin, assay.SystemDescription{Services: "Payroll for small firms", Subservices: []assay.SubserviceOrg{}}); err != nil {
		t.Fatal(err)
	}
	if pkg, _ = e.app.AuditReportPackage(e.ctx, admin, one.ID); !pkg.Documents[1].OutOfDate {
		t.Fatalf("the signed description is not out of date after the scope changed: %+v", pkg.Documents[1])
	}

	// Reports: the auditor uploads; admins do not; comments to resolution.
	file := app.File{Filename: "draft.pdf", MediaType: "application/pdf"}
	_, err = e.app.UploadAuditReport(e.ctx, admin, one.ID, assay.ReportDraft, file, strings.NewReader("%PDF draft"), 0)
	wantCode(t, "admin uploads", err, assay.EFORBIDDEN)
	_, err = e.app.UploadAuditReport(e.ctx, otherAuditor, one.ID, assay.ReportDraft, file, strings.NewReader("%PDF draft"), 0)
	wantCode(t, "another engagement's auditor uploads", err, assay.ENOTFOUND)
	_, err = e.app.UploadAuditReport(e.ctx, auditor, one.ID, "opinion", file, strings.NewReader("x"), 0)
	wantCode(t, "unknown kind", err, assay.EINVALID)
	draft, err := e.app.UploadAuditReport(e.ctx, auditor, one.ID, assay.ReportDraft, file, strings.NewReader("%PDF draft"), 0)
	if err != nil || draft.Digest != assay.TextDigest("%PDF draft") || draft.Size != 10 {
		t.Fatalf("upload: %+v %v", draft, err)
	}
	_, r, err := e.app.AuditReportFileContent(e.ctx, admin, one.ID, draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); string(b) != "%PDF draft" {
		t.Fatalf("content %q", b)
	}
	r.Close()
	_, _, err = e.app.AuditReportFileContent(e.ctx, otherAuditor, one.ID, draft.ID)
	wantCode(t, "another engagement's auditor downloads", err, assay.ENOTFOUND)
	_, err = e.app.CommentAuditReport(e.ctx, member, one.ID, draft.ID, "hello")
	wantCode(t, "member comments", err, assay.EFORBIDDEN)
	c, err := e.app.CommentAuditReport(e.ctx, auditor, one.ID, draft.ID, "Please confirm the subservice list.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.CommentAuditReport(e.ctx, admin, one.ID, draft.ID, "Confirmed; see section III."); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.ResolveAuditReportComment(e.ctx, auditor, one.ID, c.ID)
	wantCode(t, "auditor resolves", err, assay.EFORBIDDEN)
	if got, err := e.app.ResolveAuditReportComment(e.ctx, admin, one.ID, c.ID); err != nil || got.Open() {
		t.Fatalf("resolve: %+v %v", got, err)
	}
	final, err := e.app.UploadAuditReport(e.ctx, auditor, one.ID, assay.ReportFinal, app.File{Filename: "final.pdf"}, strings.NewReader("%PDF final"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if pkg, err = e.app.AuditReportPackage(e.ctx, admin, one.ID); err != nil || pkg.Final == nil || pkg.Final.ID != final.ID || pkg.Open != 1 || len(pkg.Comments) != 2 {
		t.Fatalf("package: %+v %v", pkg, err)
	}
}

func ptr[T any](v T) *T { return &v }
