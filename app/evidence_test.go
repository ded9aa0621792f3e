package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
)

func note(controls ...string) app.NewEvidence {
	return app.NewEvidence{Evidence: assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Spot check", NoteText: "Checked by hand.", Controls: controls}}
}

func wantRefused(t *testing.T, err error, code, message, what string) {
	t.Helper()
	if assay.ErrorCode(err) != code || !strings.Contains(assay.ErrorMessage(err), message) {
		t.Fatalf("%s: %v (want %s %q)", what, err, code, message)
	}
}

// Who may add evidence to which control: admins to any, members to the
// controls they own, nobody else; refused with the same words everywhere.
func TestAddEvidenceAuthorisation(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	member := e.principal(t, assay.RoleMember)
	if _, err := org.UpdateControl(e.ctx, assay.SystemActor, "ACC-01", assay.ControlPatch{OwnerID: &member.User.ID}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who      app.Principal
		control  string
		code     string
		message  string
		recorded string
	}{
		{e.principal(t, assay.RoleAdmin), "ACC-02", "", "", "admin"},
		{member, "ACC-01", "", "", "member"},
		{member, "ACC-02", assay.EFORBIDDEN, "Members add evidence only to the controls they own; ACC-02 is owned by nobody.", ""},
		{member, "NOPE-1", assay.EINVALID, "No control NOPE-1 in this organisation.", ""},
		{e.principal(t, assay.RoleAuditor), "ACC-01", assay.EFORBIDDEN, "Your role (auditor) does not allow adding evidence.", ""},
		{e.principal(t, assay.RoleViewer), "ACC-01", assay.EFORBIDDEN, "Your role (viewer) does not allow adding evidence.", ""},
		{e.principal(t, assay.RoleEmployee), "ACC-01", assay.EFORBIDDEN, "Your role (employee) does not allow adding evidence.", ""},
	} {
		what := string(c.who.User.Role) + " adds to " + c.control
		ev, err := e.app.AddEvidence(e.ctx, c.who, note(c.control), nil, nil, 0)
		if c.code != "" {
			wantRefused(t, err, c.code, c.message, what)
			continue
		}
		if err != nil || ev.CreatedBy != c.who.User.ID || ev.CreatedByName != c.recorded || ev.Controls[0] != c.control {
			t.Fatalf("%s: %+v %v", what, ev, err)
		}
	}
	if items, err := org.EvidenceList(e.ctx, assay.EvidenceFilter{State: "all"}); err != nil || len(items) != 2 {
		t.Fatalf("evidence after the refusals: %d %v", len(items), err)
	}
	// Attaching is adding: a member attaches only to their own controls.
	if _, err := e.app.UpdateEvidenceControls(e.ctx, member, 2, []string{"ACC-03"}, nil); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("member attaches to a control they do not own: %v", err)
	}
}

// A member assigned a request answers it on a control they do not own,
// and the answer is one change: once the request is decided, a new answer
// adds nothing.
func TestAnswerEvidenceRequest(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	auditor := e.principal(t, assay.RoleAuditor)
	member := e.principal(t, assay.RoleMember)
	other := e.principal(t, assay.RoleAdmin)
	req, err := e.app.CreateEvidenceRequest(e.ctx, auditor, assay.NewEvidenceRequest{ControlID: "acc-02", AssigneeID: member.User.ID,
		DueDate: e.clock.Now().AddDate(0, 0, 14), Description: "Show the review."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.CreateEvidenceRequest(e.ctx, member, assay.NewEvidenceRequest{ControlID: "ACC-02", DueDate: e.clock.Now().AddDate(0, 0, 1), Description: "x"}); assay.ErrorCode(err) != assay.EFORBIDDEN {
		t.Fatalf("a member asks for evidence: %v", err)
	}
	in := note()
	in.RequestID, in.Response = req.ID, "Here it is."
	ev, err := e.app.AddEvidence(e.ctx, member, in, nil, nil, 0)
	if err != nil || strings.Join(ev.Controls, ",") != "ACC-02" {
		t.Fatalf("the assignee answers: %+v %v", ev, err)
	}
	got, err := org.EvidenceRequest(e.ctx, req.ID)
	if err != nil || got.Status != assay.RequestSubmitted || got.Response != "Here it is." || len(got.Evidence) != 1 || got.Evidence[0].ID != ev.ID {
		t.Fatalf("request after the answer: %+v %v", got, err)
	}
	_, err = e.app.DecideEvidenceRequest(e.ctx, member, req.ID, "accept", "ok")
	wantRefused(t, err, assay.EFORBIDDEN, "(who asked) or an admin decides", "the assignee decides")
	_, err = e.app.DecideEvidenceRequest(e.ctx, auditor, req.ID, "maybe", "ok")
	wantRefused(t, err, assay.EINVALID, "Decide accept or return.", "a decision that is neither")
	if _, err := e.app.DecideEvidenceRequest(e.ctx, auditor, req.ID, "accept", "Complete."); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.AddEvidence(e.ctx, member, in, nil, nil, 0)
	wantRefused(t, err, assay.ECONFLICT, "takes no more evidence", "answering a decided request")
	in.RequestID = req.ID + 100
	_, err = e.app.AddEvidence(e.ctx, other, in, nil, nil, 0)
	wantRefused(t, err, assay.EINVALID, "No evidence request", "answering no request")
	if items, _ := org.EvidenceList(e.ctx, assay.EvidenceFilter{State: "all"}); len(items) != 1 {
		t.Fatalf("refused answers added evidence: %d items", len(items))
	}
}

// Only the assignee (or an admin) answers a request.
func TestSubmitEvidenceRequestAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	req, err := e.app.CreateEvidenceRequest(e.ctx, admin, assay.NewEvidenceRequest{ControlID: "ACC-02", AssigneeID: admin.User.ID,
		DueDate: e.clock.Now().AddDate(0, 0, 14), Description: "Show the review."})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.app.AddEvidence(e.ctx, admin, note("ACC-01"), nil, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.app.SubmitEvidenceRequest(e.ctx, member, req.ID, []int64{ev.ID}, "")
	wantRefused(t, err, assay.EFORBIDDEN, "(the assignee) or an admin answers", "another member answers")
	if r, err := e.app.SubmitEvidenceRequest(e.ctx, admin, req.ID, []int64{ev.ID}, ""); err != nil || r.Status != assay.RequestSubmitted {
		t.Fatalf("the assignee answers: %+v %v", r, err)
	}
}

// Changing a control: members their own controls' status and notes,
// admins everything, others nothing.
func TestUpdateControlAuthorisation(t *testing.T) {
	e := newEnv(t)
	org := e.db.Org(e.org.ID)
	member := e.principal(t, assay.RoleMember)
	if _, err := org.UpdateControl(e.ctx, assay.SystemActor, "ACC-01", assay.ControlPatch{OwnerID: &member.User.ID}); err != nil {
		t.Fatal(err)
	}
	notes := "Reviewed."
	if c, err := e.app.UpdateControl(e.ctx, member, "ACC-01", assay.ControlPatch{Notes: &notes}); err != nil || c.Notes != notes {
		t.Fatalf("owner sets notes: %+v %v", c, err)
	}
	name := "Renamed"
	_, err := e.app.UpdateControl(e.ctx, member, "ACC-01", assay.ControlPatch{Name: &name})
	wantRefused(t, err, assay.EFORBIDDEN, "Only admins change a control's owner, criteria or wording", "owner renames")
	_, err = e.app.UpdateControl(e.ctx, member, "ACC-02", assay.ControlPatch{Notes: &notes})
	wantRefused(t, err, assay.EFORBIDDEN, "Members may change only the controls they own; ACC-02 is owned by nobody.", "non-owner")
	for _, r := range []assay.Role{assay.RoleAuditor, assay.RoleViewer, assay.RoleEmployee} {
		_, err = e.app.UpdateControl(e.ctx, e.principal(t, r), "ACC-01", assay.ControlPatch{Notes: &notes})
		wantRefused(t, err, assay.EFORBIDDEN, "Your role ("+string(r)+") does not allow changing controls.", string(r))
	}
	admin := e.principal(t, assay.RoleAdmin)
	if c, err := e.app.UpdateControl(e.ctx, admin, "ACC-02", assay.ControlPatch{OwnerID: &member.User.ID}); err != nil || c.OwnerID != member.User.ID {
		t.Fatalf("admin sets the owner: %+v %v", c, err)
	}
}

// File evidence whose content the service is handed goes to the blob store
// before the record; without a blob store it is refused.
func TestAddFileEvidence(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	in := app.NewEvidence{Evidence: assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Review", Controls: []string{"ACC-01"}}}
	if _, err := e.app.AddEvidence(e.ctx, admin, in, &app.File{Filename: "r.csv"}, strings.NewReader("a,b\n"), 0); err == nil {
		t.Fatal("a file was added without a blob store")
	}
	blobs, err := evidence.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustDefault()
	a, err := app.New(app.Config{Store: e.db, Clock: e.clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList, Blobs: blobs})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := a.AddEvidence(e.ctx, admin, in, &app.File{Filename: "r.csv", MediaType: "text/csv"}, strings.NewReader("a,b\n"), 0)
	if err != nil || ev.Size != 4 || ev.Filename != "r.csv" || ev.MediaType != "text/csv" {
		t.Fatalf("file evidence: %+v %v", ev, err)
	}
	if ok, err := blobs.Has(ev.SHA256); !ok || err != nil {
		t.Fatalf("the blob is not stored: %v %v", ok, err)
	}
}
