package storetest

import (
	"strings"

	"github.com/assay-platform/assay"
)

var evidenceTenancyTests = []subtest{
	{"TenancyEvidence", testTenancyEvidence},
	{"TenancyEvidenceRequests", testTenancyEvidenceRequests},
}

// testTenancyEvidence: one organisation can never read, attach, supersede
// or count another's evidence, even with the same control ids.
func testTenancyEvidence(e *Env) {
	t := e.T
	tn := twoTenants(e)
	secret := must(tn.a.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Alpha payroll export",
		SHA256: digest('9'), Size: 42, Filename: "payroll.csv", Controls: []string{"CUS-A", "AC-01"}})).get(t)
	aBefore := must(tn.a.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t)
	aEntries := len(e.Activity(tn.a))
	bEntries := len(e.Activity(tn.b))

	_, err := tn.b.Evidence(e.Ctx, secret.ID)
	wantCode(t, err, assay.ENOTFOUND, "B reads A's evidence")
	for _, f := range []assay.EvidenceFilter{{}, {State: "all"}, {ControlID: "AC-01"}, {Kind: assay.EvidenceFile}} {
		if l := must(tn.b.EvidenceList(e.Ctx, f)).get(t); len(l) != 0 {
			t.Fatalf("B lists A's evidence with %+v: %+v", f, l)
		}
	}
	_, err = tn.b.EvidenceList(e.Ctx, assay.EvidenceFilter{ControlID: "CUS-A"})
	wantCode(t, err, assay.EINVALID, "B filters by A's custom control")
	if s := must(tn.b.EvidenceByControl(e.Ctx)).get(t); len(s) != 0 {
		t.Fatalf("B's evidence summary counts A's: %+v", s)
	}
	_, err = tn.b.UpdateEvidenceControls(e.Ctx, Actor, secret.ID, []string{"AC-02"}, nil)
	wantCode(t, err, assay.ENOTFOUND, "B attaches A's evidence")
	_, err = tn.b.UpdateEvidenceControls(e.Ctx, Actor, secret.ID, nil, []string{"AC-01"})
	wantCode(t, err, assay.ENOTFOUND, "B detaches A's evidence")
	_, err = tn.b.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Hijack", NoteText: "x", Supersedes: secret.ID})
	wantCode(t, err, assay.EINVALID, "B supersedes A's evidence")
	_, err = tn.b.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Into A", NoteText: "x", Controls: []string{"CUS-A"}})
	wantCode(t, err, assay.EINVALID, "B attaches to A's custom control")

	// B's evidence for its own AC-01 (same id as A's) stays B's.
	mine := e.Note(tn.b, "Beta access review", "AC-01")
	_, err = tn.a.Evidence(e.Ctx, mine.ID)
	wantCode(t, err, assay.ENOTFOUND, "A reads B's evidence")
	_, err = tn.b.UpdateEvidenceControls(e.Ctx, Actor, mine.ID, []string{"CUS-A"}, nil)
	wantCode(t, err, assay.EINVALID, "B attaches its evidence to A's control")

	jsonEq(t, must(tn.a.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t), aBefore, "A's evidence after B's attempts")
	if n := len(e.Activity(tn.a)); n != aEntries {
		t.Fatalf("B's attempts wrote %d entries to A's trail", n-aEntries)
	}
	if n := len(e.Activity(tn.b)); n != bEntries+1 {
		t.Fatalf("B's trail grew by %d, want 1 (its own note)", n-bEntries)
	}
	for _, a := range e.Activity(tn.b) {
		if strings.Contains(string(a.After), digest('9')) || strings.Contains(a.Summary, "payroll") {
			t.Fatalf("B's trail shows A's evidence: %+v", a)
		}
	}
	// Readiness of B does not count A's evidence.
	e.SetStatus(tn.a, "GV-01", assay.StatusImplemented)
	e.SetStatus(tn.b, "AC-02", assay.StatusImplemented)
	for _, c := range e.readiness(tn.b).Criteria {
		for _, m := range c.Missing {
			if m.ID == "AC-02" && m.Reason != "no current evidence" {
				t.Fatalf("B's AC-02: %q", m.Reason)
			}
		}
	}
}

func testTenancyEvidenceRequests(e *Env) {
	t := e.T
	tn := twoTenants(e)
	r := e.request(tn.a, tn.aAdmin, "AC-01", tn.aMember)
	aNote := e.Note(tn.a, "Alpha note", "AC-01")
	bNote := e.Note(tn.b, "Beta note", "AC-01")
	aEntries := len(e.Activity(tn.a))

	_, err := tn.b.EvidenceRequest(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "B reads A's request")
	if l := must(tn.b.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{})).get(t); len(l) != 0 {
		t.Fatalf("B lists A's requests: %+v", l)
	}
	_, err = tn.b.SubmitEvidenceRequest(e.Ctx, Actor, r.ID, []int64{bNote.ID}, "")
	wantCode(t, err, assay.ENOTFOUND, "B answers A's request")
	_, err = tn.a.SubmitEvidenceRequest(e.Ctx, Actor, r.ID, []int64{bNote.ID}, "")
	wantCode(t, err, assay.EINVALID, "A answers with B's evidence")
	_, err = tn.b.DecideEvidenceRequest(e.Ctx, Actor, r.ID, true, "ok")
	wantCode(t, err, assay.ENOTFOUND, "B decides A's request")
	_, err = tn.b.CreateEvidenceRequest(e.Ctx, Actor, assay.NewEvidenceRequest{ControlID: "AC-01", AssigneeID: tn.aMember.ID,
		DueDate: e.Clock.Now().AddDate(0, 0, 3), Description: "x"})
	wantCode(t, err, assay.EINVALID, "B assigns A's member")
	if n := len(e.Activity(tn.a)); n != aEntries {
		t.Fatalf("B's attempts wrote %d entries to A's trail", n-aEntries)
	}
	got := must(tn.a.SubmitEvidenceRequest(e.Ctx, Actor, r.ID, []int64{aNote.ID}, "")).get(t)
	if len(got.Evidence) != 1 || got.Evidence[0].ID != aNote.ID {
		t.Fatalf("A's answer = %+v", got)
	}
}
