package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var requestListTests = []subtest{
	{"RequestListAllOrNothing", testRequestListAllOrNothing},
	{"RequestComments", testRequestComments},
}

// An engagement's request list: created all or none, references unique
// within the engagement, sampled items checked against the draw.
func testRequestListAllOrNothing(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	e.Clock.T = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	a := e.typeII(o)
	other := e.typeII(o)
	member := e.User(o, "sam@acme.example", assay.RoleMember)
	for i := range 6 {
		e.Clock.Advance(time.Hour)
		e.User(o, "p"+string(rune('a'+i))+"@acme.example", assay.RoleMember)
	}
	seed := uint64(7)
	s := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationPeople, Size: 2, Seed: &seed})).get(t)
	due := e.Clock.Now().AddDate(0, 0, 10)
	line := func(ref, control string) assay.NewEvidenceRequest {
		return assay.NewEvidenceRequest{AuditID: a.ID, Reference: ref, ControlID: control, AssigneeID: member.ID, DueDate: due, Description: "Provide " + ref}
	}
	entries := len(e.Activity(o))
	refuse := func(what, field, wantIn string, ns ...assay.NewEvidenceRequest) {
		t.Helper()
		_, err := o.CreateEvidenceRequests(e.Ctx, Actor, ns)
		wantField(t, err, field, what)
		if !strings.Contains(assay.ErrorMessage(err), wantIn) {
			t.Fatalf("%s: %q does not say %q", what, assay.ErrorMessage(err), wantIn)
		}
		if n := len(must(o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{})).get(t)); n != 0 {
			t.Fatalf("%s: %d requests were created", what, n)
		}
		if n := len(e.Activity(o)); n != entries {
			t.Fatalf("%s: wrote %d activity entries", what, n-entries)
		}
	}
	refuse("a repeated reference", "reference", "Request 2:", line("R-1", "AC-01"), line("R-1", "GV-01"))
	refuse("an unknown control on the third line", "control_id", "Request 3:", line("R-1", "AC-01"), line("R-2", "GV-01"), line("R-3", "NOPE-9"))
	refuse("a reference without an engagement", "reference", "engagement", assay.NewEvidenceRequest{Reference: "X", ControlID: "AC-01", AssigneeID: member.ID, DueDate: due, Description: "x"})
	undrawn := line("R-4", "AC-01")
	undrawn.SampleID, undrawn.SampleItem = s.ID, "not-a-key"
	refuse("an item not drawn", "sample_item", "not drawn", line("R-1", "AC-01"), undrawn)
	elsewhere := line("R-5", "AC-01")
	elsewhere.AuditID, elsewhere.SampleID, elsewhere.SampleItem = other.ID, s.ID, s.Keys[0]
	refuse("another engagement's sample", "sample_id", "no sample", elsewhere)
	refuse("no lines", "requests", "no requests")

	drawn := line("R-3", "AC-01")
	drawn.SampleID, drawn.SampleItem = s.ID, s.Keys[1]
	got := must(o.CreateEvidenceRequests(e.Ctx, Actor, []assay.NewEvidenceRequest{line("R-1", "AC-01"), line("R-2", "gv-01"), drawn})).get(t)
	if len(got) != 3 || got[0].Reference != "R-1" || got[1].ControlID != "GV-01" || got[2].SampleID != s.ID || got[2].SampleItem != s.Keys[1] ||
		got[0].AuditID != a.ID || got[0].Status != assay.RequestOpen {
		t.Fatalf("request list = %+v", got)
	}
	if n := len(e.Activity(o)) - entries; n != 3 {
		t.Fatalf("a list of 3 wrote %d entries", n)
	}
	// The same reference may be used by another engagement, not again here.
	o2 := line("R-1", "AC-01")
	o2.AuditID = other.ID
	must(o.CreateEvidenceRequest(e.Ctx, Actor, o2)).get(t)
	_, err := o.CreateEvidenceRequest(e.Ctx, Actor, line("R-2", "AC-01"))
	wantField(t, err, "reference", "the reference again")
	// No "Request 1:" prefix on a single request's error.
	if strings.HasPrefix(assay.ErrorMessage(err), "Request ") {
		t.Fatalf("single request error = %q", assay.ErrorMessage(err))
	}
	list := must(o.EvidenceRequests(e.Ctx, assay.EvidenceRequestFilter{AuditID: a.ID})).get(t)
	if len(list) != 3 {
		t.Fatalf("engagement %d lists %d requests, want 3", a.ID, len(list))
	}
	// The period view shows this engagement's requests, not another's.
	seen := 0
	for _, pc := range must(o.AuditPeriod(e.Ctx, a.ID)).get(t).Controls {
		for _, r := range pc.Requests {
			if r.AuditID != a.ID {
				t.Fatalf("engagement %d's period view shows request %d of engagement %d", a.ID, r.ID, r.AuditID)
			}
			seen++
		}
	}
	if seen != 3 {
		t.Fatalf("the period view shows %d of the engagement's 3 requests", seen)
	}
}

func testRequestComments(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	auditor := e.User(o, "audrey@audit.example", assay.RoleAuditor)
	member := e.User(o, "sam@acme.example", assay.RoleMember)
	r := e.request(o, auditor, "AC-01", member)
	aud, sam := assay.ActorFor(auditor, "web"), assay.ActorFor(member, "web")
	_, err := o.CommentEvidenceRequest(e.Ctx, aud, r.ID, "   ")
	wantField(t, err, "body", "an empty comment")
	_, err = o.CommentEvidenceRequest(e.Ctx, aud, r.ID+100, "Hello")
	wantCode(t, err, assay.ENOTFOUND, "a comment on no request")
	c1 := must(o.CommentEvidenceRequest(e.Ctx, aud, r.ID, " Which quarter? ")).get(t)
	e.Clock.Advance(time.Minute)
	must(o.CommentEvidenceRequest(e.Ctx, sam, r.ID, "Q3; the review closed on 30 September.")).get(t)
	thread := must(o.EvidenceRequestComments(e.Ctx, r.ID)).get(t)
	if len(thread) != 2 || thread[0].Body != "Which quarter?" || thread[0].AuthorID != auditor.ID || thread[1].AuthorName != member.Name || !thread[0].CreatedAt.Equal(c1.CreatedAt) {
		t.Fatalf("thread = %+v", thread)
	}
	if got := must(o.EvidenceRequest(e.Ctx, r.ID)).get(t); got.Comments != 2 {
		t.Fatalf("request counts %d comments", got.Comments)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "evidence_request", ObjectID: itoa(r.ID)})).get(t)
	if acts[0].Action != "evidence_request.comment" || !strings.Contains(string(acts[0].After), "Q3") {
		t.Fatalf("comment entry = %+v", acts[0])
	}
	// Another organisation sees neither the request nor its thread.
	_, o2 := e.Org("other")
	_, err = o2.EvidenceRequestComments(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "another organisation's thread")
}
