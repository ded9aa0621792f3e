package storetest

import (
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

var auditReportTests = []subtest{
	{"AuditReportSignoffs", testAuditReportSignoffs},
	{"AuditReportFilesAndComments", testAuditReportFiles},
	{"AuditReportTenancy", testAuditReportTenancy},
}

// A sign-off keeps the digest of what was signed, in its row and in the
// ledger; bad input writes nothing.
func testAuditReportSignoffs(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a := e.typeII(o)
	digest := assay.TextDigest("the text signed")
	_, err := o.SignAuditDocument(e.Ctx, Actor, a.ID, assay.NewSignoff{Document: "memo", Digest: digest, SignerName: "A", SignerTitle: "CEO"})
	wantCode(t, err, assay.EINVALID, "unknown document")
	_, err = o.SignAuditDocument(e.Ctx, Actor, a.ID, assay.NewSignoff{Document: assay.ReportAssertion, Digest: "abc", SignerName: "A", SignerTitle: "CEO"})
	wantCode(t, err, assay.EINVALID, "short digest")
	_, err = o.SignAuditDocument(e.Ctx, Actor, a.ID+100, assay.NewSignoff{Document: assay.ReportAssertion, Digest: digest, SignerName: "A", SignerTitle: "CEO"})
	wantCode(t, err, assay.ENOTFOUND, "unknown audit")
	if l := must(o.AuditSignoffs(e.Ctx, a.ID)).get(t); len(l) != 0 {
		t.Fatalf("bad input wrote sign-offs: %+v", l)
	}
	s := must(o.SignAuditDocument(e.Ctx, Actor, a.ID, assay.NewSignoff{Document: assay.ReportAssertion, Digest: strings.ToUpper(digest),
		SignerUserID: 7, SignerName: " Ada Chief ", SignerTitle: "Chief Executive Officer"})).get(t)
	if s.ID == 0 || s.Digest != digest || s.SignerName != "Ada Chief" || s.RecordedByName != Actor.Name || !s.SignedAt.Equal(Epoch) {
		t.Fatalf("sign-off: %+v", s)
	}
	jsonEq(t, must(o.AuditSignoffs(e.Ctx, a.ID)).get(t), []assay.AuditSignoff{s}, "sign-offs")
	last := e.Activity(o)[0]
	if last.Action != "audit.signoff" || !strings.Contains(last.Summary, digest) || !strings.Contains(string(last.After), digest) {
		t.Fatalf("activity: %+v", last)
	}
	e.Verify(ledger.Options{})
}

// Reports are recorded with their digest; comments on them are tracked to
// resolution, once.
func testAuditReportFiles(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a := e.typeII(o)
	digest := assay.TextDigest("draft report")
	_, err := o.AddAuditReportFile(e.Ctx, Actor, a.ID, assay.NewReportFile{Kind: "opinion", Filename: "r.pdf", Digest: digest})
	wantCode(t, err, assay.EINVALID, "unknown kind")
	_, err = o.AddAuditReportFile(e.Ctx, Actor, a.ID, assay.NewReportFile{Kind: assay.ReportDraft, Filename: " ", Digest: digest})
	wantCode(t, err, assay.EINVALID, "no file name")
	f := must(o.AddAuditReportFile(e.Ctx, Actor, a.ID, assay.NewReportFile{Kind: assay.ReportDraft, Filename: "draft.pdf",
		ContentType: "application/pdf", Size: 12, Digest: digest})).get(t)
	if f.ID == 0 || f.Digest != digest || f.UploadedByName != Actor.Name {
		t.Fatalf("file: %+v", f)
	}
	if last := e.Activity(o)[0]; last.Action != "audit.report_file" || !strings.Contains(last.Summary, digest) {
		t.Fatalf("activity: %+v", last)
	}
	jsonEq(t, must(o.AuditReportFiles(e.Ctx, a.ID)).get(t), []assay.AuditReportFile{f}, "files")

	_, err = o.AddAuditReportComment(e.Ctx, Actor, assay.RoleAuditor, a.ID, f.ID, "  ")
	wantCode(t, err, assay.EINVALID, "empty comment")
	_, err = o.AddAuditReportComment(e.Ctx, Actor, assay.RoleAuditor, a.ID, f.ID+100, "x")
	wantCode(t, err, assay.ENOTFOUND, "comment on an unknown file")
	c := must(o.AddAuditReportComment(e.Ctx, Actor, assay.RoleAuditor, a.ID, f.ID, " Section III omits the CUECs. ")).get(t)
	if c.Body != "Section III omits the CUECs." || !c.Open() || c.AuthorRole != assay.RoleAuditor {
		t.Fatalf("comment: %+v", c)
	}
	r := must(o.ResolveAuditReportComment(e.Ctx, Actor, a.ID, c.ID)).get(t)
	if r.Open() || r.ResolvedByName != Actor.Name || !r.ResolvedAt.Equal(Epoch) {
		t.Fatalf("resolved: %+v", r)
	}
	_, err = o.ResolveAuditReportComment(e.Ctx, Actor, a.ID, c.ID)
	wantCode(t, err, assay.ECONFLICT, "resolve twice")
	_, err = o.ResolveAuditReportComment(e.Ctx, Actor, a.ID, c.ID+100)
	wantCode(t, err, assay.ENOTFOUND, "resolve an unknown comment")
	jsonEq(t, must(o.AuditReportComments(e.Ctx, a.ID)).get(t), []assay.AuditReportComment{r}, "comments")
	e.Verify(ledger.Options{})
}

// One organisation never reaches another's report package.
func testAuditReportTenancy(e *Env) {
	t := e.T
	_, acme := e.Org("acme")
	_, other := e.Org("other")
	a := e.typeII(acme)
	digest := assay.TextDigest("x")
	f := must(acme.AddAuditReportFile(e.Ctx, Actor, a.ID, assay.NewReportFile{Kind: assay.ReportFinal, Filename: "final.pdf", Digest: digest})).get(t)
	c := must(acme.AddAuditReportComment(e.Ctx, Actor, assay.RoleAdmin, a.ID, f.ID, "ok")).get(t)
	_, err := other.SignAuditDocument(e.Ctx, Actor, a.ID, assay.NewSignoff{Document: assay.ReportAssertion, Digest: digest, SignerName: "A", SignerTitle: "B"})
	wantCode(t, err, assay.ENOTFOUND, "sign another's")
	_, err = other.AuditReportFiles(e.Ctx, a.ID)
	wantCode(t, err, assay.ENOTFOUND, "list another's files")
	_, err = other.AuditReportComments(e.Ctx, a.ID)
	wantCode(t, err, assay.ENOTFOUND, "list another's comments")
	_, err = other.ResolveAuditReportComment(e.Ctx, Actor, a.ID, c.ID)
	wantCode(t, err, assay.ENOTFOUND, "resolve another's")
}
