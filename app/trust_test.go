package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
)

// trustEnv is the services with a blob store and a ledger key.
type trustEnv struct {
	*env
	app   *app.App
	key   *ledger.Key
	admin app.Principal
}

func newTrustEnv(t *testing.T) trustEnv {
	t.Helper()
	e := newEnv(t)
	blobs, err := evidence.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(app.Config{Store: e.db, Clock: e.clock, Criteria: catalog.MustDefault().DomainCriteria(), Checks: catalog.LibraryCheckList,
		Blobs: blobs, Ledger: func() (*ledger.Key, error) { return key, nil }})
	if err != nil {
		t.Fatal(err)
	}
	admin := e.principal(t, assay.RoleAdmin)
	return trustEnv{env: e, app: a, key: key, admin: a.PrincipalFor(admin.User, "web")}
}

func pdfBytes(t *testing.T) []byte {
	t.Helper()
	d := fpdf.New("P", "mm", "A4", "")
	d.AddPage()
	d.SetFont("Helvetica", "", 12)
	d.Cell(40, 10, "SOC 2 Type II report")
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Settings are checked: tiles known, vendors and policies real, an NDA
// when documents need one; only admins change them.
func TestTrustSettingsChecked(t *testing.T) {
	e := newTrustEnv(t)
	member := e.principal(t, assay.RoleMember)
	_, err := e.app.TrustSettings(e.ctx, e.app.PrincipalFor(member.User, "web"))
	wantCode(t, "member reads trust settings", err, assay.EFORBIDDEN)
	base := assay.TrustSettings{Enabled: true, CompanyName: "Acme", Tiles: []string{"mfa"}}
	bad := base
	bad.Tiles = []string{"mfa", "vibes"}
	_, err = e.app.UpdateTrustSettings(e.ctx, e.admin, bad)
	wantCode(t, "unknown tile", err, assay.EINVALID)
	bad = base
	bad.Subprocessors = []assay.TrustSubprocessor{{VendorID: 99, Purpose: "Hosting"}}
	_, err = e.app.UpdateTrustSettings(e.ctx, e.admin, bad)
	wantCode(t, "unknown vendor", err, assay.EINVALID)
	if _, err := e.app.AddTrustDocument(e.ctx, e.admin, assay.NewTrustDocument{Title: "SOC 2 report", Filename: "soc2.pdf", NDA: true},
		bytes.NewReader(pdfBytes(t)), 0); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.UpdateTrustSettings(e.ctx, e.admin, base)
	wantCode(t, "documents under NDA without an NDA", err, assay.EINVALID)
	base.NDA = "Keep it confidential."
	if _, err := e.app.UpdateTrustSettings(e.ctx, e.admin, base); err != nil {
		t.Fatal(err)
	}
}

// A visitor asks for a document under NDA; the link waits for approval,
// then downloads a copy stamped with their name, and stops on its date.
// A listed domain is approved at once.
func TestTrustRequestDownloadExpiry(t *testing.T) {
	e := newTrustEnv(t)
	ctx := context.Background()
	_, err := e.app.PublicTrust(ctx)
	wantCode(t, "no trust center", err, assay.ENOTFOUND)
	doc, err := e.app.AddTrustDocument(ctx, e.admin, assay.NewTrustDocument{Title: "SOC 2 Type II report", Filename: "soc2.pdf",
		ContentType: "application/pdf", NDA: true}, bytes.NewReader(pdfBytes(t)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.UpdateTrustSettings(ctx, e.admin, assay.TrustSettings{Enabled: true, CompanyName: "Acme", NDA: "Keep it confidential.",
		AutoApproveDomains: []string{"partner.example"}, LinkDays: 7}); err != nil {
		t.Fatal(err)
	}
	n := assay.NewTrustAccessRequest{DocumentID: doc.ID, Name: "Vera Visitor", Email: "vera@customer.example", Company: "Customer",
		ClientAddr: "203.0.113.7"}
	_, err = e.app.RequestTrustDocument(ctx, n)
	wantCode(t, "without accepting the NDA", err, assay.EINVALID)
	n.AcceptNDA = true
	v, err := e.app.RequestTrustDocument(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if v.Request.Status != assay.TrustRequestPending || !strings.HasPrefix(v.Link, "assay_tc_") {
		t.Fatalf("request = %+v", v)
	}
	_, _, err = e.app.TrustDownload(ctx, v.Link, "203.0.113.7")
	wantCode(t, "download before approval", err, assay.EFORBIDDEN)
	_, _, err = e.app.TrustDownload(ctx, "assay_tc_guessed", "203.0.113.7")
	wantCode(t, "a guessed link", err, assay.ENOTFOUND)
	if _, err := e.app.DecideTrustRequest(ctx, e.admin, v.Request.ID, true); err != nil {
		t.Fatal(err)
	}
	_, pdf, err := e.app.TrustDownload(ctx, v.Link, "203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || bytes.Equal(pdf, pdfBytes(t)) {
		t.Fatal("the download is not a stamped PDF")
	}
	e.clock.Set(e.clock.T.Add(7*24*time.Hour + time.Second))
	_, _, err = e.app.TrustDownload(ctx, v.Link, "203.0.113.7")
	wantCode(t, "download after the link's date", err, assay.EGONE)
	reqs, err := e.app.TrustRequests(ctx, e.admin, "")
	if err != nil || len(reqs) != 1 || reqs[0].Downloads != 1 {
		t.Fatalf("requests: %+v %v", reqs, err)
	}
	n.Email = "pat@partner.example"
	auto, err := e.app.RequestTrustDocument(ctx, n)
	if err != nil || auto.Request.Status != assay.TrustRequestApproved {
		t.Fatalf("listed domain: %+v %v", auto.Request, err)
	}
}

// The snapshot verifies with the ledger's key only; a changed figure or
// another key fails; an unchanged page gives the same snapshot.
func TestTrustSnapshotVerifies(t *testing.T) {
	e := newTrustEnv(t)
	ctx := context.Background()
	if _, err := e.app.UpdateTrustSettings(ctx, e.admin, assay.TrustSettings{Enabled: true, CompanyName: "Acme",
		Tiles: []string{"mfa", "system-security", "access-control", "audit-trail"}}); err != nil {
		t.Fatal(err)
	}
	doc, err := e.app.TrustSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := app.VerifyTrustSnapshot(doc, e.key.VerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	if p.Company != "Acme" || len(p.Tiles) != 4 {
		t.Fatalf("payload = %+v", p)
	}
	for _, tile := range p.Tiles {
		if tile.State != assay.TileNoData || tile.Value != "" {
			t.Fatalf("a tile without data shows %+v", tile)
		}
	}
	e.clock.Set(e.clock.T.Add(time.Hour))
	again, err := e.app.TrustSnapshot(ctx)
	if err != nil || !bytes.Equal(again, doc) {
		t.Fatalf("an unchanged page made a new snapshot: %v", err)
	}
	other, _, _ := ledger.NewKey()
	if _, err := app.VerifyTrustSnapshot(doc, other.VerifierKey); err == nil {
		t.Fatal("another key verified the snapshot")
	}
	if _, err := app.VerifyTrustSnapshot(doc, ""); err == nil {
		t.Fatal("no key verified the snapshot")
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(doc, &f); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(f["payload"], []byte(`"Acme"`), []byte(`"Acme Inc"`), 1)
	if bytes.Equal(changed, f["payload"]) {
		t.Fatalf("payload has no company to change: %s", f["payload"])
	}
	f["payload"] = changed
	tampered, _ := json.Marshal(f)
	if _, err := app.VerifyTrustSnapshot(tampered, e.key.VerifierKey); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("a changed payload: %v", err)
	}
	// A change shown makes a new snapshot (once the last is ten minutes
	// old), and both are kept.
	e.clock.Set(e.clock.T.Add(11 * time.Minute))
	if _, err := e.app.UpdateTrustSettings(ctx, e.admin, assay.TrustSettings{Enabled: true, CompanyName: "Acme", Tiles: []string{"mfa"}}); err != nil {
		t.Fatal(err)
	}
	next, err := e.app.TrustSnapshot(ctx)
	if err != nil || bytes.Equal(next, doc) {
		t.Fatalf("a changed page kept the old snapshot: %v", err)
	}
	kept, err := e.app.TrustSnapshotsKept(ctx, 10)
	if err != nil || len(kept) != 2 {
		t.Fatalf("kept: %+v %v", kept, err)
	}
}

// An engagement's final report is what the trust center offers under NDA:
// the same bytes, by digest; without a final report there is nothing to offer.
func TestTrustOffersTheFinalReport(t *testing.T) {
	e := newTrustEnv(t)
	ctx := context.Background()
	asOf := time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC)
	au, err := e.app.CreateAudit(ctx, e.admin, assay.NewAudit{Type: assay.AuditType1, Name: "Type I 2028", Firm: "Hartwell", AsOf: &asOf})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.app.OfferAuditReport(ctx, e.admin, au.Audit.ID, "")
	wantCode(t, "no final report yet", err, assay.EINVALID)
	exp := asOf.AddDate(0, 6, 0)
	inv, err := e.app.InviteAuditor(ctx, e.admin, au.Audit.ID, app.AuditorInvite{Email: "riley@firm.example", Name: "Riley", Expires: &exp})
	if err != nil {
		t.Fatal(err)
	}
	report := pdfBytes(t)
	f, err := e.app.UploadAuditReport(ctx, e.app.PrincipalFor(inv.User, "web"), au.Audit.ID, assay.ReportFinal, app.File{Filename: "report.pdf", MediaType: "application/pdf"},
		bytes.NewReader(report), 0)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.app.OfferAuditReport(ctx, e.admin, au.Audit.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if doc.SHA256 != f.Digest || !doc.NDA || !doc.Published || doc.Title != "Type I 2028 report" || !strings.Contains(doc.Description, "Hartwell") {
		t.Fatalf("offered %+v for %+v", doc, f)
	}
}

func TestSpokenDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{47 * time.Minute: "47 minutes", time.Minute: "1 minute", 5 * time.Hour: "5 hours",
		1440 * time.Hour: "60 days", 30 * time.Second: "30 seconds"} {
		if got := app.Spoken(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}

// A PDF that could not be stamped at download is refused when offered.
func TestTrustRefusesAPDFItCannotStamp(t *testing.T) {
	e := newTrustEnv(t)
	_, err := e.app.AddTrustDocument(context.Background(), e.admin, assay.NewTrustDocument{Title: "Report", Filename: "report.pdf", NDA: true},
		strings.NewReader("%PDF-1.7\n this is not a PDF's body"), 0)
	wantCode(t, "a damaged PDF", err, assay.EINVALID)
	docs, _ := e.app.TrustDocuments(context.Background(), e.admin)
	if len(docs) != 0 {
		t.Fatalf("a refused document was offered: %+v", docs)
	}
	if _, err := e.app.AddTrustDocument(context.Background(), e.admin, assay.NewTrustDocument{Title: "Policy summary", Filename: "summary.txt", NDA: false},
		strings.NewReader("plain text is sent as it is"), 0); err != nil {
		t.Fatalf("a text file: %v", err)
	}
}
