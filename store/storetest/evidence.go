package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var evidenceTests = []subtest{
	{"EvidenceCreateAndRead", testEvidenceCreate},
	{"EvidenceRefusesBadInput", testEvidenceBadInput},
	{"EvidenceSupersede", testEvidenceSupersede},
	{"EvidenceAttachDetach", testEvidenceAttachDetach},
	{"EvidenceListFilters", testEvidenceList},
	{"EvidenceByControl", testEvidenceByControl},
	{"EvidenceReadiness", testEvidenceReadiness},
}

// digest is a made-up SHA-256 for file evidence: the store records the
// digest of a blob the caller has already stored; it never reads blobs.
func digest(c byte) string { return strings.Repeat(string(c), 64) }

// Note adds note evidence to controls and returns it.
func (e *Env) Note(o store.OrgStore, title string, controls ...string) assay.Evidence {
	e.T.Helper()
	ev, err := o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: title, NoteText: "Written for " + title, Controls: controls})
	if err != nil {
		e.T.Fatalf("add note %q: %v", title, err)
	}
	return ev
}

// wantEvidenceUnchanged checks that a refused change left the
// organisation's evidence and its trail as they were.
func wantEvidenceUnchanged(e *Env, o store.OrgStore, before []assay.Evidence, entries int, what string) {
	e.T.Helper()
	jsonEq(e.T, must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(e.T), before, what+": evidence")
	if n := len(e.Activity(o)); n != entries {
		e.T.Fatalf("%s: wrote %d activity entries", what, n-entries)
	}
}

func testEvidenceCreate(e *Env) {
	t := e.T
	org, o := e.Org("acme")
	u := e.User(o, "ann@acme.example", assay.RoleAdmin)
	actor := assay.ActorFor(u, "web")
	e.Clock.Advance(time.Hour)
	collected := Epoch.Add(-48 * time.Hour)
	in := assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Q4 access review", Description: "Signed by system owners.",
		SHA256: digest('a'), Size: 1234, MediaType: "text/csv", Filename: "review.csv",
		PeriodStart: ptr(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)), PeriodEnd: ptr(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)),
		ValidDays: 92, CollectedAt: &collected, Controls: []string{"ac-02", "AC-01"}}
	got := must(o.CreateEvidence(e.Ctx, actor, in)).get(t)
	if got.ID == 0 || got.Kind != assay.EvidenceFile || got.SHA256 != digest('a') || got.Size != 1234 || got.Filename != "review.csv" ||
		got.MediaType != "text/csv" || strings.Join(got.Controls, ",") != "AC-01,AC-02" || got.CreatedBy != u.ID || got.CreatedByName != u.Name {
		t.Fatalf("created = %+v", got)
	}
	if !got.CollectedAt.Equal(collected) || !got.CreatedAt.Equal(e.Clock.Now()) ||
		!got.ExpiresAt.Equal(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)) || got.ValidDays != 92 {
		t.Fatalf("times = collected %v created %v expires %v", got.CollectedAt, got.CreatedAt, got.ExpiresAt)
	}
	jsonEq(t, must(o.Evidence(e.Ctx, got.ID)).get(t), got, "re-read")

	// Links and notes; without a collection time, it is now; without
	// valid days, a year.
	link := must(o.CreateEvidence(e.Ctx, actor, assay.NewEvidence{Kind: assay.EvidenceLink, Title: "MFA policy", URL: "https://idp.example/policies/mfa", Controls: []string{"AC-02"}})).get(t)
	if link.URL != "https://idp.example/policies/mfa" || link.SHA256 != "" || !link.CollectedAt.Equal(e.Clock.Now()) ||
		!link.ExpiresAt.Equal(e.Clock.Now().AddDate(0, 0, assay.DefaultEvidenceValidDays)) || link.PeriodStart != nil {
		t.Fatalf("link = %+v", link)
	}
	note := e.Note(o, "Tabletop exercise notes", "OP-01")
	if note.NoteText != "Written for Tabletop exercise notes" || note.Kind != assay.EvidenceNote {
		t.Fatalf("note = %+v", note)
	}

	// Each addition is in the trail, with the digest in the after JSON.
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "evidence"})).get(t)
	if len(acts) != 3 {
		t.Fatalf("evidence entries = %d, want 3", len(acts))
	}
	a := acts[2]
	if a.Action != "evidence.create" || a.ObjectID != itoa(got.ID) || a.OrgID != org.ID || a.Actor != actor || a.Before != nil ||
		!strings.Contains(a.Summary, "AC-01, AC-02") || !strings.Contains(string(a.After), `"sha256":"`+digest('a')+`"`) {
		t.Fatalf("entry = %+v\n%s", a, a.After)
	}
	var after assay.Evidence
	check(t, json.Unmarshal(a.After, &after), "after JSON")
	jsonEq(t, after, got, "after JSON")
}

func testEvidenceBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	first := e.Note(o, "Existing", "AC-01")
	before := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t)
	entries := len(e.Activity(o))
	good := func() assay.NewEvidence {
		return assay.NewEvidence{Kind: assay.EvidenceLink, Title: "A link", URL: "https://example.com/x", Controls: []string{"AC-01"}}
	}
	cases := map[string]struct {
		edit  func(n *assay.NewEvidence)
		code  string
		field string
	}{
		"unknown control":       {func(n *assay.NewEvidence) { n.Controls = []string{"AC-01", "ZZ-99"} }, assay.EINVALID, "controls"},
		"no control":            {func(n *assay.NewEvidence) { n.Controls = nil }, assay.EINVALID, "controls"},
		"bad url":               {func(n *assay.NewEvidence) { n.URL = "ftp://example.com/x" }, assay.EINVALID, "url"},
		"unknown kind":          {func(n *assay.NewEvidence) { n.Kind = "photo" }, assay.EINVALID, "kind"},
		"file without digest":   {func(n *assay.NewEvidence) { n.Kind, n.URL = assay.EvidenceFile, "" }, assay.EINVALID, "file"},
		"link with a digest":    {func(n *assay.NewEvidence) { n.SHA256 = digest('b') }, assay.EINVALID, "kind"},
		"future collection":     {func(n *assay.NewEvidence) { n.CollectedAt = ptr(e.Clock.Now().Add(24 * time.Hour)) }, assay.EINVALID, "collected_at"},
		"too many valid days":   {func(n *assay.NewEvidence) { n.ValidDays = assay.MaxEvidenceValidDays + 1 }, assay.EINVALID, "valid_days"},
		"half a period":         {func(n *assay.NewEvidence) { n.PeriodStart = ptr(Epoch.AddDate(0, -1, 0)) }, assay.EINVALID, "period_end"},
		"supersedes nothing":    {func(n *assay.NewEvidence) { n.Supersedes = 999999 }, assay.EINVALID, "supersedes"},
		"title too long":        {func(n *assay.NewEvidence) { n.Title = strings.Repeat("t", assay.MaxNameLen+1) }, assay.EINVALID, "title"},
		"period after collect":  {func(n *assay.NewEvidence) { n.PeriodStart, n.PeriodEnd = ptr(Epoch), ptr(Epoch.AddDate(0, 0, 3)) }, assay.EINVALID, "period_end"},
		"note without its text": {func(n *assay.NewEvidence) { n.Kind, n.URL = assay.EvidenceNote, "" }, assay.EINVALID, "note_text"},
	}
	for name, c := range cases {
		n := good()
		c.edit(&n)
		_, err := o.CreateEvidence(e.Ctx, Actor, n)
		wantCode(t, err, c.code, name)
		if f := err.(*assay.Error).Field; f != c.field {
			t.Fatalf("%s: field %q, want %q", name, f, c.field)
		}
		wantEvidenceUnchanged(e, o, before, entries, name)
	}
	// Attach and detach refusals change nothing either.
	for name, c := range map[string]struct{ attach, detach []string }{
		"attach unknown":        {[]string{"ZZ-99"}, nil},
		"detach not attached":   {nil, []string{"AC-02"}},
		"detach the last":       {nil, []string{"AC-01"}},
		"attach and detach one": {[]string{"AC-02"}, []string{"ac-02"}},
		"nothing":               {nil, nil},
	} {
		_, err := o.UpdateEvidenceControls(e.Ctx, Actor, first.ID, c.attach, c.detach)
		wantCode(t, err, assay.EINVALID, name)
		wantEvidenceUnchanged(e, o, before, entries, name)
	}
	_, err := o.UpdateEvidenceControls(e.Ctx, Actor, 999999, []string{"AC-02"}, nil)
	wantCode(t, err, assay.ENOTFOUND, "attach missing evidence")
	_, err = o.Evidence(e.Ctx, 999999)
	wantCode(t, err, assay.ENOTFOUND, "read missing evidence")
	_, err = o.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "stale"})
	wantCode(t, err, assay.EINVALID, "unknown state")
	_, err = o.EvidenceList(e.Ctx, assay.EvidenceFilter{ControlID: "ZZ-99"})
	wantCode(t, err, assay.EINVALID, "unknown control filter")
	wantEvidenceUnchanged(e, o, before, entries, "after the refusals")
}

func testEvidenceSupersede(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	old := e.Note(o, "Backup restore test", "AV-01", "OP-01")
	e.Clock.Advance(time.Hour)
	// A correction without controls takes the old item's.
	fix := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Backup restore test (signed)",
		SHA256: digest('c'), Size: 10, Filename: "restore.pdf", MediaType: "application/pdf", Supersedes: old.ID})).get(t)
	if fix.Supersedes != old.ID || strings.Join(fix.Controls, ",") != "AV-01,OP-01" {
		t.Fatalf("correction = %+v", fix)
	}
	gotOld := must(o.Evidence(e.Ctx, old.ID)).get(t)
	if gotOld.SupersededBy != fix.ID || gotOld.Title != old.Title || gotOld.NoteText != old.NoteText {
		t.Fatalf("old item after correction = %+v", gotOld)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "evidence"})).get(t)
	if acts[0].Action != "evidence.supersede" || acts[0].ObjectID != itoa(old.ID) || acts[1].Action != "evidence.create" ||
		!strings.Contains(string(acts[0].After), `"superseded_by":`+itoa(fix.ID)) {
		t.Fatalf("trail = %+v", acts[:2])
	}
	// An item is superseded once; a superseded item takes no new controls.
	before := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{State: "all"})).get(t)
	entries := len(e.Activity(o))
	_, err := o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Again", NoteText: "x", Supersedes: old.ID})
	wantCode(t, err, assay.ECONFLICT, "supersede twice")
	_, err = o.UpdateEvidenceControls(e.Ctx, Actor, old.ID, []string{"AC-01"}, nil)
	wantCode(t, err, assay.ECONFLICT, "attach a superseded item")
	wantEvidenceUnchanged(e, o, before, entries, "refused supersede")
	// Lists leave superseded items out unless asked.
	if l := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{})).get(t); len(l) != 1 || l[0].ID != fix.ID {
		t.Fatalf("in force = %+v", l)
	}
	if l := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{State: assay.EvidenceSuperseded})).get(t); len(l) != 1 || l[0].ID != old.ID {
		t.Fatalf("superseded = %+v", l)
	}
}

func testEvidenceAttachDetach(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	ev := e.Note(o, "Policy approval", "GV-01")
	e.Clock.Advance(time.Minute)
	got := must(o.UpdateEvidenceControls(e.Ctx, Actor, ev.ID, []string{"op-01", "AC-01", "GV-01"}, nil)).get(t)
	if strings.Join(got.Controls, ",") != "AC-01,GV-01,OP-01" {
		t.Fatalf("attached = %v", got.Controls)
	}
	got = must(o.UpdateEvidenceControls(e.Ctx, Actor, ev.ID, nil, []string{"GV-01"})).get(t)
	if strings.Join(got.Controls, ",") != "AC-01,OP-01" {
		t.Fatalf("detached = %v", got.Controls)
	}
	jsonEq(t, must(o.Evidence(e.Ctx, ev.ID)).get(t), got, "re-read")
	// Content never changes with the links.
	if got.Title != ev.Title || got.NoteText != ev.NoteText || !got.CreatedAt.Equal(ev.CreatedAt) {
		t.Fatalf("content changed: %+v", got)
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{ObjectType: "evidence", ObjectID: itoa(ev.ID)})).get(t)
	if len(acts) != 3 || acts[0].Action != "evidence.controls" || !strings.Contains(acts[0].Summary, "detached from GV-01") ||
		!strings.Contains(acts[1].Summary, "attached to AC-01, OP-01") || !strings.Contains(string(acts[0].Before), "GV-01") {
		t.Fatalf("trail = %+v", acts)
	}
	// Attaching where it already is writes nothing.
	entries := len(e.Activity(o))
	must(o.UpdateEvidenceControls(e.Ctx, Actor, ev.ID, []string{"AC-01"}, nil)).get(t)
	if n := len(e.Activity(o)); n != entries {
		t.Fatalf("a no-op attach wrote %d entries", n-entries)
	}
	// The filter by control follows the links.
	if l := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{ControlID: "GV-01"})).get(t); len(l) != 0 {
		t.Fatalf("GV-01 still lists it: %+v", l)
	}
	if l := must(o.EvidenceList(e.Ctx, assay.EvidenceFilter{ControlID: "op-01"})).get(t); len(l) != 1 {
		t.Fatalf("OP-01 lists %d", len(l))
	}
}

func testEvidenceList(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	// Collected at Epoch with 10, 40 and 400 days of validity; a file.
	short := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "short", NoteText: "x", ValidDays: 10, Controls: []string{"AC-01"}})).get(t)
	mid := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "mid", NoteText: "x", ValidDays: 40, Controls: []string{"AC-01"}})).get(t)
	long := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "long", SHA256: digest('d'), Size: 1, ValidDays: 400, Controls: []string{"AC-02"}})).get(t)
	idsOf := func(f assay.EvidenceFilter) []string {
		t.Helper()
		var out []string
		for _, ev := range must(o.EvidenceList(e.Ctx, f)).get(t) {
			out = append(out, ev.Title)
		}
		return out
	}
	wantIDs(t, idsOf(assay.EvidenceFilter{}), []string{"long", "mid", "short"}, "all in force, newest first")
	wantIDs(t, idsOf(assay.EvidenceFilter{State: assay.EvidenceExpiring}), []string{"short"}, "expiring at the start")
	wantIDs(t, idsOf(assay.EvidenceFilter{State: assay.EvidenceCurrent}), []string{"long", "mid"}, "current at the start")
	wantIDs(t, idsOf(assay.EvidenceFilter{Kind: assay.EvidenceFile}), []string{"long"}, "files")
	wantIDs(t, idsOf(assay.EvidenceFilter{ControlID: "AC-01"}), []string{"mid", "short"}, "AC-01's")
	wantIDs(t, idsOf(assay.EvidenceFilter{Limit: 1}), []string{"long"}, "limit")

	e.Clock.Advance(15 * 24 * time.Hour)
	wantIDs(t, idsOf(assay.EvidenceFilter{State: assay.EvidenceExpired}), []string{"short"}, "expired after 15 days")
	wantIDs(t, idsOf(assay.EvidenceFilter{State: assay.EvidenceExpiring}), []string{"mid"}, "expiring after 15 days")
	for _, ev := range []assay.Evidence{short, mid, long} {
		got := must(o.Evidence(e.Ctx, ev.ID)).get(t)
		want := map[int64]string{short.ID: assay.EvidenceExpired, mid.ID: assay.EvidenceExpiring, long.ID: assay.EvidenceCurrent}[ev.ID]
		if s := got.State(e.Clock.Now()); s != want {
			t.Fatalf("%s is %s, want %s", got.Title, s, want)
		}
	}
	// Expiry is exact: at the instant it expires, it has expired.
	e.Clock.T = mid.ExpiresAt
	wantIDs(t, idsOf(assay.EvidenceFilter{State: assay.EvidenceExpired}), []string{"mid", "short"}, "at mid's expiry")
}

func testEvidenceByControl(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	if s := must(o.EvidenceByControl(e.Ctx)).get(t); len(s) != 0 {
		t.Fatalf("fresh organisation: %+v", s)
	}
	a := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "a", NoteText: "x", ValidDays: 30, Controls: []string{"AC-01", "GV-01"}})).get(t)
	b := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "b", NoteText: "x", ValidDays: 90, Controls: []string{"AC-01"}})).get(t)
	// A superseded item does not count.
	must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "c", NoteText: "x", ValidDays: 10, Supersedes: b.ID})).get(t)
	s := must(o.EvidenceByControl(e.Ctx)).get(t)
	if len(s) != 2 || s[0].ControlID != "AC-01" || s[0].Items != 2 || s[0].LatestID != a.ID || !s[0].LatestExpiry.Equal(a.ExpiresAt) ||
		s[1].ControlID != "GV-01" || s[1].Items != 1 {
		t.Fatalf("by control = %+v", s)
	}
}

// testEvidenceReadiness: an implemented control needs current evidence.
func testEvidenceReadiness(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	// CC6.2 relies on AC-01 alone.
	e.SetStatus(o, "AC-01", assay.StatusImplemented)
	reason := func() string {
		t.Helper()
		for _, c := range e.readiness(o).Criteria {
			if c.ID == "CC6.2" {
				if c.Met {
					return ""
				}
				return c.Missing[0].Reason
			}
		}
		t.Fatal("CC6.2 not in readiness")
		return ""
	}
	if r := reason(); r != "no current evidence" {
		t.Fatalf("without evidence: %q", r)
	}
	ev := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Access review", NoteText: "Done.", ValidDays: 92, Controls: []string{"AC-01"}})).get(t)
	if r := reason(); r != "" {
		t.Fatalf("with current evidence: %q", r)
	}
	e.Clock.T = ev.ExpiresAt
	if r := reason(); r != "evidence expired on "+ev.ExpiresAt.Format("2006-01-02") {
		t.Fatalf("at expiry: %q", r)
	}
	// A fresh review brings it back; superseding it with nothing current does not.
	fresh := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Next review", NoteText: "Done.", ValidDays: 92, Supersedes: ev.ID})).get(t)
	if r := reason(); r != "" {
		t.Fatalf("after a fresh review: %q", r)
	}
	must(o.UpdateEvidenceControls(e.Ctx, Actor, fresh.ID, []string{"AC-02"}, []string{"AC-01"})).get(t)
	if r := reason(); r != "no current evidence" {
		t.Fatalf("after detaching the only item: %q", r)
	}
}

// EvidenceImmutable checks that evidence rows refuse changes made behind
// the store's back, through raw, a plain connection to the same database.
// Only superseded_by may be set, once.
func EvidenceImmutable(t *testing.T, s store.Store, raw *sql.DB) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Immutable", "immutable", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	o := s.Org(org.ID)
	ev, err := o.CreateEvidence(ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Export", SHA256: digest('e'), Size: 5, Controls: []string{"AC-01"}})
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(ev.ID)
	for _, stmt := range []string{
		`UPDATE evidence_items SET sha256 = '` + digest('f') + `' WHERE id = ` + id,
		`UPDATE evidence_items SET title = 'forged' WHERE id = ` + id,
		`UPDATE evidence_items SET expires_at = '2099-01-01T00:00:00.000000Z' WHERE id = ` + id,
		`DELETE FROM evidence_items WHERE id = ` + id,
		`UPDATE evidence_items SET superseded_by = ` + id + ` WHERE id = ` + id,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: succeeded, want it refused", stmt)
		}
	}
	got, err := o.Evidence(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, got, ev, "evidence after tampering attempts")
	// The one change allowed, once: the store's own supersede.
	fix, err := o.CreateEvidence(ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Fix", NoteText: "x", Supersedes: ev.ID})
	if err != nil {
		t.Fatalf("supersede: %v", err)
	}
	if _, err := raw.ExecContext(ctx, `UPDATE evidence_items SET superseded_by = NULL WHERE id = `+id); err == nil {
		t.Error("un-superseding succeeded, want it refused")
	}
	if got, _ := o.Evidence(ctx, ev.ID); got.SupersededBy != fix.ID {
		t.Fatalf("superseded_by = %d, want %d", got.SupersededBy, fix.ID)
	}
}
