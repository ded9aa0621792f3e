package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
)

// requestListEnv is a Type II engagement with an invited auditor, two
// controls owned by a member, and a sample of people drawn.
type requestListEnv struct {
	*env
	admin, owner, bystander, auditor app.Principal
	audit                            assay.Audit
	other                            assay.Audit
}

func newRequestListEnv(t *testing.T) requestListEnv {
	e := newEnv(t)
	r := requestListEnv{env: e, admin: e.principal(t, assay.RoleAdmin), owner: e.principal(t, assay.RoleMember)}
	u, err := e.db.Org(e.org.ID).CreateUser(e.ctx, assay.SystemActor,
		assay.NewUser{Email: "bystander@acme.example", Name: "Bystander", Role: assay.RoleMember, Password: "long enough password"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	r.bystander = e.app.PrincipalFor(u, "cli")
	for _, id := range []string{"ACC-01", "ACC-02", "MON-01"} {
		owner := r.owner.User.ID
		if _, err := e.app.UpdateControl(e.ctx, r.admin, id, assay.ControlPatch{OwnerID: &owner}); err != nil {
			t.Fatal(err)
		}
	}
	start, end := time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)
	n := assay.NewAudit{Type: assay.AuditType2, Name: "Type II 2027", Firm: "Hartwell", PeriodStart: &start, PeriodEnd: &end}
	a, err := e.app.CreateAudit(e.ctx, r.admin, n)
	if err != nil {
		t.Fatal(err)
	}
	r.audit = a.Audit
	n.Name = "Another"
	o, err := e.app.CreateAudit(e.ctx, r.admin, n)
	if err != nil {
		t.Fatal(err)
	}
	r.other = o.Audit
	exp := e.clock.Now().AddDate(0, 3, 0)
	inv, err := e.app.InviteAuditor(e.ctx, r.admin, r.audit.ID, app.AuditorInvite{Email: "riley@firm.example", Name: "Riley", Expires: &exp})
	if err != nil {
		t.Fatal(err)
	}
	r.auditor = e.app.PrincipalFor(inv.User, "web")
	return r
}

func (r requestListEnv) requests(t *testing.T) []assay.EvidenceRequest {
	t.Helper()
	list, err := r.app.EvidenceRequests(r.ctx, r.admin, assay.EvidenceRequestFilter{AuditID: r.audit.ID})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// An auditor's request list as trackers write it: a BOM, CRLF line ends,
// the tracker's own column names, US dates; every line or none.
func TestRequestListImport(t *testing.T) {
	r := newRequestListEnv(t)
	if !r.audit.Scope.HasControl("ACC-01") {
		t.Fatal("ACC-01 is not in the engagement's scope")
	}
	bad := "\ufeffRequest #,Request Description,Control ID,Due Date,Owner\r\n" +
		"PBC-01,User access review for Q3,ACC-01,3/15/2028,\r\n" +
		"PBC-02,Change tickets sample,MON-01,15/03/2028,member@acme.example\r\n" +
		"PBC-03,Something outside,NOPE-99,2028-03-15,\r\n"
	_, err := csvimport.RequestList(r.ctx, r.app, r.auditor, r.audit.ID, bad)
	wantCode(t, "unknown control", err, assay.EINVALID)
	if msg := assay.ErrorMessage(err); !strings.Contains(msg, "line 4") || !strings.Contains(msg, "NOPE-99") {
		t.Fatalf("bad list: %q", msg)
	}
	if n := len(r.requests(t)); n != 0 {
		t.Fatalf("a refused list created %d requests", n)
	}
	// A date that is no date is named with its line, before anything is written.
	_, err = csvimport.RequestList(r.ctx, r.app, r.auditor, r.audit.ID, "Ref,Request,Control,Due\nA,x,ACC-01,soon\n")
	if msg := assay.ErrorMessage(err); !strings.Contains(msg, "line 2") || !strings.Contains(msg, "soon") {
		t.Fatalf("bad date: %q", msg)
	}

	good := strings.Replace(bad, "PBC-03,Something outside,NOPE-99", "PBC-03,Incident review,ACC-02", 1)
	got, err := csvimport.RequestList(r.ctx, r.app, r.auditor, r.audit.ID, good)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2028, 3, 15, 0, 0, 0, 0, time.UTC)
	for _, q := range got {
		if q.AssigneeID != r.owner.User.ID || q.AuditID != r.audit.ID || !q.DueDate.Equal(want) || q.RequestedBy != r.auditor.User.ID {
			t.Fatalf("imported %+v", q)
		}
	}
	if len(got) != 3 || got[0].Reference != "PBC-01" || got[1].ControlID != "MON-01" {
		t.Fatalf("imported %d: %+v", len(got), got)
	}
	// The same list again repeats its references: refused whole.
	_, err = csvimport.RequestList(r.ctx, r.app, r.auditor, r.audit.ID, good)
	if msg := assay.ErrorMessage(err); !strings.Contains(msg, "line 2") || !strings.Contains(msg, "PBC-01") {
		t.Fatalf("repeated list: %q", msg)
	}
	// The invited auditor cannot put requests on another engagement.
	_, err = csvimport.RequestList(r.ctx, r.app, r.auditor, r.other.ID, good)
	wantCode(t, "another engagement", err, assay.ENOTFOUND)
	// A member does not ask for evidence.
	_, err = csvimport.RequestList(r.ctx, r.app, r.owner, r.audit.ID, good)
	wantCode(t, "member imports", err, assay.EFORBIDDEN)
}

// The same list as UTF-16 tab-separated text and as an XLSX workbook
// with real date cells.
func TestRequestListImportFormats(t *testing.T) {
	r := newRequestListEnv(t)
	text := "Ref\tInformation requested\tControl\tDeadline\nT-1\tPassword policy\tACC-01\t2028-04-01\n"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := csvimport.RequestList(r.ctx, r.app, r.admin, r.audit.ID, string(utf16)); err != nil || len(got) != 1 || got[0].Reference != "T-1" {
		t.Fatalf("UTF-16: %+v %v", got, err)
	}

	f := excelize.NewFile()
	rows := [][]any{{"PBC No.", "Evidence requested", "Control ref", "Due date", "Assigned to"},
		{"X-1", "Firewall rule review", "MON-01", time.Date(2028, 4, 30, 0, 0, 0, 0, time.UTC), "member@acme.example"},
		{"X-2", "Onboarding tickets", "ACC-02", time.Date(2028, 5, 1, 0, 0, 0, 0, time.UTC), ""}}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf strings.Builder
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := csvimport.RequestList(r.ctx, r.app, r.admin, r.audit.ID, buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].DueDate.Equal(time.Date(2028, 4, 30, 0, 0, 0, 0, time.UTC)) || got[1].AssigneeID != r.owner.User.ID {
		t.Fatalf("XLSX: %+v", got)
	}
}

// Each item a sample drew becomes a request line; asking again adds only
// what is missing. The thread is open to who asked, who answers, admins
// and auditors; an auditor of one engagement does not see another's list.
func TestSampleRequestsAndThreads(t *testing.T) {
	r := newRequestListEnv(t)
	seed := uint64(11)
	s, err := r.app.CreateAuditSample(r.ctx, r.auditor, r.audit.ID, assay.NewSample{Population: assay.PopulationPeople, Size: 2, Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	due := r.clock.Now().AddDate(0, 0, 14)
	_, err = r.app.RequestSampleEvidence(r.ctx, r.auditor, r.audit.ID, s.ID, app.SampleRequests{DueDate: due})
	wantCode(t, "no control for a people sample", err, assay.EINVALID)
	got, err := r.app.RequestSampleEvidence(r.ctx, r.auditor, r.audit.ID, s.ID, app.SampleRequests{ControlID: "ACC-01", DueDate: due})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(s.Keys) || got[0].SampleItem != s.Keys[0] || got[0].Reference == "" || got[0].AssigneeID != r.owner.User.ID {
		t.Fatalf("sample requests: %+v", got)
	}
	_, err = r.app.RequestSampleEvidence(r.ctx, r.auditor, r.audit.ID, s.ID, app.SampleRequests{ControlID: "ACC-01", DueDate: due})
	wantCode(t, "asked again", err, assay.ECONFLICT)

	q := got[0]
	if _, err := r.app.CommentEvidenceRequest(r.ctx, r.auditor, q.ID, "Please include the signed offer letter."); err != nil {
		t.Fatal(err)
	}
	if _, err := r.app.CommentEvidenceRequest(r.ctx, r.owner, q.ID, "Attached; the letter is on page 2."); err != nil {
		t.Fatal(err)
	}
	_, err = r.app.CommentEvidenceRequest(r.ctx, r.bystander, q.ID, "Me too")
	wantCode(t, "a member who neither asked nor answers", err, assay.EFORBIDDEN)
	thread, err := r.app.EvidenceRequestComments(r.ctx, r.auditor, q.ID)
	if err != nil || len(thread) != 2 || thread[1].AuthorID != r.owner.User.ID {
		t.Fatalf("thread: %+v %v", thread, err)
	}

	// A request on the other engagement's list is not found for this auditor.
	dueOther := assay.NewEvidenceRequest{AuditID: r.other.ID, ControlID: "ACC-01", DueDate: due, Description: "Other engagement"}
	o, err := r.app.CreateEvidenceRequest(r.ctx, r.admin, dueOther)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.app.EvidenceRequest(r.ctx, r.auditor, o.ID)
	wantCode(t, "another engagement's request", err, assay.ENOTFOUND)
	_, err = r.app.EvidenceRequestComments(r.ctx, r.auditor, o.ID)
	wantCode(t, "another engagement's thread", err, assay.ENOTFOUND)
	_, err = r.app.CommentEvidenceRequest(r.ctx, r.auditor, o.ID, "Hello")
	wantCode(t, "comment on another engagement's request", err, assay.ENOTFOUND)
	list, err := r.app.EvidenceRequests(r.ctx, r.auditor, assay.EvidenceRequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list {
		if l.AuditID != r.audit.ID {
			t.Fatalf("the invited auditor lists request %d of engagement %d", l.ID, l.AuditID)
		}
	}
	// The owner answers; the auditor returns it, then accepts.
	ev, err := r.app.AddEvidence(r.ctx, r.owner, app.NewEvidence{Evidence: assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Offer letter",
		NoteText: "Signed.", Controls: []string{"ACC-01"}}}, nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.app.SubmitEvidenceRequest(r.ctx, r.owner, q.ID, []int64{ev.ID}, "Here it is."); err != nil {
		t.Fatal(err)
	}
	if back, err := r.app.DecideEvidenceRequest(r.ctx, r.auditor, q.ID, "return", "Unsigned copy."); err != nil || back.Status != assay.RequestReturned {
		t.Fatalf("return: %+v %v", back, err)
	}
}
