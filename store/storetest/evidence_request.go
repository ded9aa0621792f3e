package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var evidenceRequestTests = []subtest{
	{"EvidenceRequestLifecycle", testEvidenceRequestLifecycle},
	{"EvidenceRequestRefusesBadInput", testEvidenceRequestBadInput},
}

func (e *Env) request(o store.OrgStore, auditor assay.User, control string, assignee assay.User) assay.EvidenceRequest {
	e.T.Helper()
	return must(o.CreateEvidenceRequest(e.Ctx, assay.ActorFor(auditor, "web"), assay.NewEvidenceRequest{
		ControlID: control, AssigneeID: assignee.ID, DueDate: e.Clock.Now().AddDate(0, 0, 14), Description: "Show the last quarterly review."})).get(e.T)
}

func testEvidenceRequestLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	auditor := e.User(o, "audrey@audit.example", assay.RoleAuditor)
	member := e.User(o, "sam@acme.example", assay.RoleMember)
	r := e.request(o, auditor, "ac-01", member)
	if r.ID == 0 || r.ControlID != "AC-01" || r.ControlName != "Access reviews" || r.Status != assay.RequestOpen || r.RequestedBy != auditor.ID ||
		r.AssigneeID != member.ID || r.AssigneeName != member.Name || !r.DueDate.Equal(assay.Day(Epoch.AddDate(0, 0, 14))) || len(r.Evidence) != 0 {
		t.Fatalf("request = %+v", r)
	}
	jsonEq(t, must(o.EvidenceRequest(e.Ctx, r.ID)).get(t), r, "re-read")

	// The member answers with evidence attached elsewhere: it is attached
	// to the request's control too.
	e.Clock.Advance(24 * time.Hour)
	ev := e.Note(o, "Q1 access review", "AC-02")
	sam := assay.ActorFor(member, "web")
	r = must(o.SubmitEvidenceRequest(e.Ctx, sam, r.ID, []int64{ev.ID, ev.ID}, " Attached the signed review. ")).get(t)
	if r.Status != assay.RequestSubmitted || r.Response != "Attached the signed review." || r.SubmittedAt == nil || !r.SubmittedAt.Equal(e.Clock.Now()) ||
		len(r.Evidence) != 1 || r.Evidence[0].ID != ev.ID {
		t.Fatalf("submitted = %+v", r)
	}
	if got := must(o.Evidence(e.Ctx, ev.ID)).get(t); strings.Join(got.Controls, ",") != "AC-01,AC-02" {
		t.Fatalf("submitted evidence controls = %v", got.Controls)
	}

	// Rejected with a reason, answered again, accepted.
	aud := assay.ActorFor(auditor, "web")
	r = must(o.DecideEvidenceRequest(e.Ctx, aud, r.ID, false, "The review is not signed.")).get(t)
	if r.Status != assay.RequestReturned || r.Reason != "The review is not signed." || r.DecidedBy != auditor.ID || r.DecidedAt == nil {
		t.Fatalf("rejected = %+v", r)
	}
	file := must(o.CreateEvidence(e.Ctx, sam, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Signed review", SHA256: digest('1'), Size: 9, Controls: []string{"AC-01"}})).get(t)
	r = must(o.SubmitEvidenceRequest(e.Ctx, sam, r.ID, []int64{file.ID}, "Now signed.")).get(t)
	if r.Status != assay.RequestSubmitted || r.Reason != "" || r.DecidedAt != nil || len(r.Evidence) != 2 || r.Evidence[1].SHA256 != digest('1') {
		t.Fatalf("resubmitted = %+v", r)
	}
	r = must(o.DecideEvidenceRequest(e.Ctx, aud, r.ID, true, "Signed and complete.")).get(t)
	if r.Status != assay.RequestAccepted || r.Reason != "Signed and complete." {
		t.Fatalf("accepted = %+v", r)
	}
	// Accepted is final.
	_, err := o.SubmitEvidenceRequest(e.Ctx, sam, r.ID, []int64{file.ID}, "")
	wantCode(t, err, assay.ECONFLICT, "submit to an accepted request")
	_, err = o.DecideEvidenceRequest(e.Ctx, aud, r.ID, false, "Changed my mind.")
	wantCode(t, err, assay.ECONFLICT, "decide an accepted request")

	// The trail has every step, with digests in the after JSON.
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "evidence_request"})).get(t)
	var actions []string
	for _, a := range acts {
		actions = append(actions, a.Action)
	}
	wantIDs(t, actions, []string{"evidence_request.accept", "evidence_request.submit", "evidence_request.return", "evidence_request.submit", "evidence_request.create"}, "request trail")
	if !strings.Contains(string(acts[1].After), digest('1')) || !strings.Contains(acts[2].Summary, "The review is not signed.") {
		t.Fatalf("trail = %+v", acts[:3])
	}

	// Filters.
	other := e.request(o, auditor, "GV-01", member)
	list := func(f assay.EvidenceRequestFilter) []string {
		var out []string
		for _, r := range must(o.EvidenceRequests(e.Ctx, f)).get(t) {
			out = append(out, r.ControlID)
		}
		return out
	}
	wantIDs(t, list(assay.EvidenceRequestFilter{}), []string{"GV-01", "AC-01"}, "all requests, newest first")
	wantIDs(t, list(assay.EvidenceRequestFilter{Status: assay.RequestOpen}), []string{"GV-01"}, "open requests")
	wantIDs(t, list(assay.EvidenceRequestFilter{ControlID: "ac-01"}), []string{"AC-01"}, "AC-01's requests")
	wantIDs(t, list(assay.EvidenceRequestFilter{AssigneeID: auditor.ID}), nil, "the auditor's assignments")
	e.Clock.T = other.DueDate.Add(25 * time.Hour)
	if r := must(o.EvidenceRequest(e.Ctx, other.ID)).get(t); !r.Overdue(e.Clock.Now()) {
		t.Fatal("a request past its due date is not overdue")
	}
}

func testEvidenceRequestBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	auditor := e.User(o, "audrey@audit.example", assay.RoleAuditor)
	member := e.User(o, "sam@acme.example", assay.RoleMember)
	viewer := e.User(o, "vic@acme.example", assay.RoleViewer)
	gone := e.User(o, "gone@acme.example", assay.RoleMember)
	must(o.SetUserDisabled(e.Ctx, Actor, gone.ID, true)).get(t)
	r := e.request(o, auditor, "AC-01", member)
	ev := e.Note(o, "A note", "AC-01")
	old := e.Note(o, "Old note", "AC-01")
	must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "New", NoteText: "x", Supersedes: old.ID})).get(t)
	before := must(o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{})).get(t)
	entries := len(e.Activity(o))
	unchanged := func(what string) {
		t.Helper()
		jsonEq(t, must(o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{})).get(t), before, what)
		if n := len(e.Activity(o)); n != entries {
			t.Fatalf("%s: wrote %d activity entries", what, n-entries)
		}
	}
	due := e.Clock.Now().AddDate(0, 0, 7)
	for name, c := range map[string]struct {
		n     assay.NewEvidenceRequest
		field string
	}{
		"unknown control":   {assay.NewEvidenceRequest{ControlID: "ZZ-99", AssigneeID: member.ID, DueDate: due, Description: "x"}, "control_id"},
		"unknown assignee":  {assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: 999999, DueDate: due, Description: "x"}, "assignee_id"},
		"viewer assignee":   {assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: viewer.ID, DueDate: due, Description: "x"}, "assignee_id"},
		"disabled assignee": {assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: gone.ID, DueDate: due, Description: "x"}, "assignee_id"},
		"past due date":     {assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: member.ID, DueDate: Epoch.AddDate(0, 0, -1), Description: "x"}, "due_date"},
		"no description":    {assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: member.ID, DueDate: due}, "description"},
	} {
		_, err := o.CreateEvidenceRequest(e.Ctx, Actor, c.n)
		wantCode(t, err, assay.EINVALID, name)
		if f := err.(*assay.Error).Field; f != c.field {
			t.Fatalf("%s: field %q, want %q", name, f, c.field)
		}
		unchanged(name)
	}
	for name, ids := range map[string][]int64{"no evidence": nil, "unknown evidence": {999999}, "superseded evidence": {old.ID}, "bad id": {-1}, "one good one bad": {ev.ID, 999999}} {
		_, err := o.SubmitEvidenceRequest(e.Ctx, Actor, r.ID, ids, "")
		wantCode(t, err, assay.EINVALID, name)
		unchanged(name)
	}
	_, err := o.SubmitEvidenceRequest(e.Ctx, Actor, 999999, []int64{ev.ID}, "")
	wantCode(t, err, assay.ENOTFOUND, "submit to a missing request")
	_, err = o.DecideEvidenceRequest(e.Ctx, Actor, r.ID, true, "Fine.")
	wantCode(t, err, assay.ECONFLICT, "decide an open request")
	must(o.SubmitEvidenceRequest(e.Ctx, Actor, r.ID, []int64{ev.ID}, "")).get(t)
	before = must(o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{})).get(t)
	entries = len(e.Activity(o))
	_, err = o.DecideEvidenceRequest(e.Ctx, Actor, r.ID, false, "   ")
	wantCode(t, err, assay.EINVALID, "reject without a reason")
	unchanged("reject without a reason")
	_, err = o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{Status: "closed"})
	wantCode(t, err, assay.EINVALID, "unknown status filter")
}
