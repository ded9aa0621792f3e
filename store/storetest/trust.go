package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var trustTests = []subtest{
	{"TrustSettingsAndPublicOrg", testTrustSettings},
	{"TrustRequestLifecycle", testTrustRequestLifecycle},
	{"TrustSnapshotsKept", testTrustSnapshots},
}

func testTrustSettings(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	_, err := e.Store.PublicTrustOrg(e.Ctx)
	wantCode(t, err, assay.ENOTFOUND, "no trust center yet")
	if s := must(o.TrustSettings(e.Ctx)).get(t); s.Enabled || s.Tiles == nil {
		t.Fatalf("zero settings = %+v", s)
	}
	in := assay.TrustSettings{Enabled: true, CompanyName: "Acme", Tiles: []string{"mfa"}, FAQ: []assay.TrustFAQ{{Question: "Q?", Answer: "A."}},
		Subprocessors: []assay.TrustSubprocessor{{VendorID: 3, Purpose: "Hosting", Location: "EU"}}, NDA: "Keep it secret."}
	got := must(o.UpdateTrustSettings(e.Ctx, Actor, in)).get(t)
	if !got.UpdatedAt.Equal(e.Clock.Now()) {
		t.Fatalf("updated at %v", got.UpdatedAt)
	}
	in.UpdatedAt = got.UpdatedAt
	jsonEq(t, must(o.TrustSettings(e.Ctx)).get(t), in, "settings read back")
	if id := must(e.Store.PublicTrustOrg(e.Ctx)).get(t); id != o.OrgID() {
		t.Fatalf("public trust org = %d, want %d", id, o.OrgID())
	}
	if s := must(other.TrustSettings(e.Ctx)).get(t); s.Enabled || s.CompanyName != "" {
		t.Fatalf("another organisation's settings = %+v", s)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "trust_center"})).get(t)
	if len(acts) != 1 || acts[0].Summary != "Trust center published" || !strings.Contains(string(acts[0].After), "Keep it secret.") {
		t.Fatalf("trail = %+v", acts)
	}
	in.Enabled = false
	must(o.UpdateTrustSettings(e.Ctx, Actor, in)).get(t)
	_, err = e.Store.PublicTrustOrg(e.Ctx)
	wantCode(t, err, assay.ENOTFOUND, "trust center taken down")
}

func testTrustRequestLifecycle(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	_, err := o.CreateTrustDocument(e.Ctx, Actor, assay.NewTrustDocument{Title: "SOC 2 report"})
	wantField(t, err, "file", "a document without its file")
	doc := must(o.CreateTrustDocument(e.Ctx, Actor, assay.NewTrustDocument{Title: " SOC 2 Type II report ", Filename: "soc2.pdf",
		ContentType: "application/pdf", Size: 10, SHA256: digest('a'), NDA: true})).get(t)
	if doc.Title != "SOC 2 Type II report" || !doc.NDA || !doc.Published {
		t.Fatalf("document = %+v", doc)
	}
	hash := strings.Repeat("f", 64)
	visitor := assay.Actor{Name: "Vera Visitor <vera@customer.example>", Via: "trust"}
	n := assay.NewTrustAccessRequest{DocumentID: doc.ID, Name: "Vera", Email: "Vera@Customer.example", Company: "Customer", Reason: "Due diligence",
		ClientAddr: "203.0.113.9"}
	entries := len(e.Activity(o))
	_, err = o.CreateTrustRequest(e.Ctx, visitor, n, "v1", hash)
	wantField(t, err, "accept_nda", "a request without the NDA")
	n.AcceptNDA = true
	_, err = other.CreateTrustRequest(e.Ctx, visitor, n, "v1", hash)
	wantCode(t, err, assay.ENOTFOUND, "another organisation's document")
	if got := len(e.Activity(o)); got != entries {
		t.Fatalf("refused requests wrote %d entries", got-entries)
	}
	r := must(o.CreateTrustRequest(e.Ctx, visitor, n, "v1", hash)).get(t)
	if r.Status != assay.TrustRequestPending || r.Email != "vera@customer.example" || r.NDAVersion != "v1" || !r.NDAAcceptedAt.Equal(e.Clock.Now()) ||
		r.ClientAddr != "203.0.113.9" || r.DocumentTitle != doc.Title || r.LinkWorks(e.Clock.Now()) {
		t.Fatalf("request = %+v", r)
	}
	byToken := must(o.TrustRequestByToken(e.Ctx, hash)).get(t)
	if byToken.ID != r.ID || byToken.Status != assay.TrustRequestPending {
		t.Fatalf("pending by token = %+v", byToken)
	}
	expires := e.Clock.Now().Add(7 * 24 * time.Hour)
	r = must(o.DecideTrustRequest(e.Ctx, Actor, r.ID, true, expires)).get(t)
	if r.Status != assay.TrustRequestApproved || !r.LinkWorks(e.Clock.Now()) || r.LinkWorks(expires) || r.DecidedBy != Actor.Name {
		t.Fatalf("approved = %+v", r)
	}
	_, err = o.DecideTrustRequest(e.Ctx, Actor, r.ID, false, time.Time{})
	wantCode(t, err, assay.ECONFLICT, "decided twice")
	if byToken = must(o.TrustRequestByToken(e.Ctx, hash)).get(t); byToken.Status != assay.TrustRequestApproved {
		t.Fatalf("approved by token = %+v", byToken)
	}
	_, err = other.TrustRequestByToken(e.Ctx, hash)
	wantCode(t, err, assay.ENOTFOUND, "another organisation's link")
	check(t, o.RecordTrustDownload(e.Ctx, visitor, r.ID, "203.0.113.9"), "download")
	check(t, o.RecordTrustDownload(e.Ctx, visitor, r.ID, "198.51.100.4"), "download again")
	if got := must(o.TrustRequest(e.Ctx, r.ID)).get(t); got.Downloads != 2 {
		t.Fatalf("downloads = %d", got.Downloads)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "trust_request"})).get(t)
	var actions []string
	for _, a := range acts {
		actions = append(actions, a.Action)
	}
	wantIDs(t, actions, []string{"trust.download", "trust.download", "trust.request_approved", "trust.request"}, "request trail")
	if !strings.Contains(acts[3].Summary, "accepted the NDA") || !strings.Contains(acts[0].Summary, "198.51.100.4") {
		t.Fatalf("trail = %+v", acts)
	}
	// A withdrawn document takes no more requests; a denied request has no link.
	must(o.SetTrustDocumentPublished(e.Ctx, Actor, doc.ID, false)).get(t)
	_, err = o.CreateTrustRequest(e.Ctx, visitor, n, "v1", hash)
	wantCode(t, err, assay.ENOTFOUND, "a withdrawn document")
	must(o.SetTrustDocumentPublished(e.Ctx, Actor, doc.ID, true)).get(t)
	r2 := must(o.CreateTrustRequest(e.Ctx, visitor, n, "v1", strings.Repeat("e", 64))).get(t)
	r2 = must(o.DecideTrustRequest(e.Ctx, Actor, r2.ID, false, time.Time{})).get(t)
	if r2.Status != assay.TrustRequestDenied || r2.LinkWorks(e.Clock.Now()) {
		t.Fatalf("denied = %+v", r2)
	}
	if pending := must(o.TrustRequests(e.Ctx, assay.TrustRequestPending)).get(t); len(pending) != 0 {
		t.Fatalf("pending = %+v", pending)
	}
	if all := must(o.TrustRequests(e.Ctx, "")).get(t); len(all) != 2 {
		t.Fatalf("all requests = %d", len(all))
	}
}

func testTrustSnapshots(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	first := must(o.SaveTrustSnapshot(e.Ctx, digest('1'), []byte(`{"a":1}`))).get(t)
	e.Clock.Advance(24 * time.Hour)
	second := must(o.SaveTrustSnapshot(e.Ctx, digest('2'), []byte(`{"a":2}`))).get(t)
	list := must(o.TrustSnapshots(e.Ctx, 10)).get(t)
	if len(list) != 2 || list[0].ID != second.ID || list[1].PayloadSHA256 != digest('1') {
		t.Fatalf("snapshots = %+v", list)
	}
	ref, doc, err := o.TrustSnapshot(e.Ctx, first.ID)
	if err != nil || string(doc) != `{"a":1}` || !ref.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("first snapshot = %+v %s %v", ref, doc, err)
	}
	_, _, err = other.TrustSnapshot(e.Ctx, first.ID)
	wantCode(t, err, assay.ENOTFOUND, "another organisation's snapshot")
}
