package storetest

import (
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

var evidenceAnswerTests = []subtest{
	{"EvidenceAnswerIsOneChange", testEvidenceAnswerOneChange},
	{"EvidenceAnswerRefusedCreatesNothing", testEvidenceAnswerRefused},
}

// testEvidenceAnswerOneChange: new evidence that answers a request is
// created, attached to the request's control and submitted in one
// transaction, with its two audit-trail entries (and ledger leaves).
func testEvidenceAnswerOneChange(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	auditor := e.User(o, "audrey@audit.example", assay.RoleAuditor)
	member := e.User(o, "sam@acme.example", assay.RoleMember)
	r := e.request(o, auditor, "AC-01", member)
	before := e.trail(o)

	sam := assay.ActorFor(member, "web")
	ev, req, err := o.AnswerEvidenceRequest(e.Ctx, sam, r.ID, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Signed review",
		SHA256: digest('7'), Size: 12, Filename: "review.pdf", Controls: []string{"ac-02"}}, " Here it is. ")
	check(t, err, "answer")
	if ev.ID == 0 || strings.Join(ev.Controls, ",") != "AC-01,AC-02" || ev.CreatedBy != member.ID {
		t.Fatalf("evidence = %+v", ev)
	}
	if req.Status != assay.RequestSubmitted || req.Response != "Here it is." || len(req.Evidence) != 1 || req.Evidence[0].ID != ev.ID {
		t.Fatalf("request = %+v", req)
	}
	jsonEq(t, must(o.Evidence(e.Ctx, ev.ID)).get(t), ev, "re-read evidence")
	jsonEq(t, must(o.EvidenceRequest(e.Ctx, r.ID)).get(t), req, "re-read request")
	after := e.trail(o)
	if len(after) != len(before)+2 {
		t.Fatalf("the answer wrote %d entries, want 2", len(after)-len(before))
	}
	var actions []string
	for _, a := range after[len(before):] {
		actions = append(actions, a.Action)
		if a.Actor.UserID != member.ID {
			t.Fatalf("entry %s by user %d, want %d", a.Action, a.Actor.UserID, member.ID)
		}
	}
	if got := strings.Join(actions, " "); !strings.Contains(got, "evidence.create") || !strings.Contains(got, "evidence_request.submit") {
		t.Fatalf("entries: %s", got)
	}
	if rep := e.Verify(ledger.Options{}); rep.Entries != int64(len(after)) {
		t.Fatalf("ledger has %d entries, the trail %d", rep.Entries, len(after))
	}
}

// testEvidenceAnswerRefused: when the request cannot take the evidence,
// the evidence is not created either, and the trail and ledger are as they
// were.
func testEvidenceAnswerRefused(e *Env) {
	t := e.T
	tn := twoTenants(e)
	auditor := e.User(tn.a, "audrey@audit.example", assay.RoleAuditor)
	decided := e.request(tn.a, auditor, "AC-01", tn.aMember)
	note := e.Note(tn.a, "Earlier review", "AC-01")
	must(tn.a.SubmitEvidenceRequest(e.Ctx, Actor, decided.ID, []int64{note.ID}, "")).get(t)
	must(tn.a.DecideEvidenceRequest(e.Ctx, assay.ActorFor(auditor, "web"), decided.ID, true, "Complete.")).get(t)
	open := e.request(tn.a, auditor, "AC-01", tn.aMember)

	aItems := must(tn.a.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t)
	bItems := must(tn.b.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t)
	entries := len(e.trail(tn.a, tn.b))
	leaves := e.Verify(ledger.Options{}).Entries
	n := func() assay.NewEvidence {
		return assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Answer", NoteText: "Reviewed.", Controls: []string{"AC-01"}}
	}
	for _, c := range []struct {
		what string
		try  func() error
		code string
	}{
		{"the request was already decided", func() error {
			_, _, err := tn.a.AnswerEvidenceRequest(e.Ctx, Actor, decided.ID, n(), "")
			return err
		}, assay.ECONFLICT},
		{"the request belongs to another organisation", func() error {
			_, _, err := tn.b.AnswerEvidenceRequest(e.Ctx, Actor, open.ID, n(), "")
			return err
		}, assay.ENOTFOUND},
		{"there is no such request", func() error {
			_, _, err := tn.a.AnswerEvidenceRequest(e.Ctx, Actor, open.ID+100, n(), "")
			return err
		}, assay.ENOTFOUND},
		{"the response is too long", func() error {
			_, _, err := tn.a.AnswerEvidenceRequest(e.Ctx, Actor, open.ID, n(), strings.Repeat("x", assay.MaxControlText+1))
			return err
		}, assay.EINVALID},
		{"the evidence is invalid", func() error {
			bad := n()
			bad.Title = ""
			_, _, err := tn.a.AnswerEvidenceRequest(e.Ctx, Actor, open.ID, bad, "")
			return err
		}, assay.EINVALID},
		{"the evidence names no control of the organisation", func() error {
			bad := n()
			bad.Controls = []string{"NOPE-9"}
			_, _, err := tn.a.AnswerEvidenceRequest(e.Ctx, Actor, open.ID, bad, "")
			return err
		}, assay.EINVALID},
	} {
		wantCode(t, c.try(), c.code, c.what)
	}
	jsonEq(t, must(tn.a.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t), aItems, "A's evidence after refused answers")
	jsonEq(t, must(tn.b.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t), bItems, "B's evidence after refused answers")
	if got := must(tn.a.EvidenceRequest(e.Ctx, open.ID)).get(t); got.Status != assay.RequestOpen || len(got.Evidence) != 0 {
		t.Fatalf("the open request changed: %+v", got)
	}
	if n := len(e.trail(tn.a, tn.b)); n != entries {
		t.Fatalf("refused answers wrote %d entries", n-entries)
	}
	if got := e.Verify(ledger.Options{}).Entries; got != leaves {
		t.Fatalf("refused answers appended %d ledger leaves", got-leaves)
	}
}
