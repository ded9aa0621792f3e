package storetest

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

var auditTests = []subtest{
	{"AuditCreateFreezesScope", testAuditFreezesScope},
	{"AuditBadInputChangesNothing", testAuditBadInput},
	{"AuditTenancy", testAuditTenancy},
	{"AuditAuditorAccessExpires", testAuditAuditorExpires},
	{"AuditPeriodView", testAuditPeriodView},
	{"AuditSampleReproducible", testAuditSample},
}

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// typeII is an engagement over the year around Epoch.
func (e *Env) typeII(o store.OrgStore) assay.Audit {
	e.T.Helper()
	return must(o.CreateAudit(e.Ctx, Actor, assay.NewAudit{Type: assay.AuditType2, Name: "SOC 2 Type II 2026", Firm: "Example LLP",
		PeriodStart: day(2026, 1, 1), PeriodEnd: day(2026, 12, 31)})).get(e.T)
}

func testAuditFreezesScope(e *Env) {
	t := e.T
	_, o := e.Org("acme", assay.CategoryPrivacy)
	a := e.typeII(o)
	if a.Status != assay.AuditPlanned || a.Type != assay.AuditType2 || a.PeriodStart == nil || !a.PeriodStart.Equal(*day(2026, 1, 1)) {
		t.Fatalf("created audit: %+v", a)
	}
	jsonEq(t, a.Scope.Categories, []string{assay.CategorySecurity, assay.CategoryPrivacy}, "frozen categories")
	jsonEq(t, a.Scope.Criteria, []string{"CC1.1", "CC6.1", "CC6.2", "P1.1"}, "frozen criteria")
	var ids []string
	for _, c := range a.Scope.Controls {
		ids = append(ids, c.ID)
		if c.ID == "OP-01" {
			jsonEq(t, c.Criteria, []string{"CC1.1"}, "OP-01's in-scope mappings")
		}
	}
	jsonEq(t, ids, []string{"AC-01", "AC-02", "GV-01", "OP-01", "PR-01"}, "frozen controls")

	// The program moves on; the engagement's scope does not.
	must(o.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{assay.CategoryAvailability}})).get(t)
	e.Update(o, "AC-01", assay.ControlPatch{Criteria: &[]string{"CC1.1"}})
	jsonEq(t, must(o.Audit(e.Ctx, a.ID)).get(t), a, "audit after the scope changed")
	moved := must(o.SetAuditStatus(e.Ctx, Actor, a.ID, assay.AuditFieldwork)).get(t)
	if moved.Status != assay.AuditFieldwork {
		t.Fatalf("status = %s", moved.Status)
	}
	jsonEq(t, moved.Scope, a.Scope, "scope after a status change")
	must(o.SetAuditStatus(e.Ctx, Actor, a.ID, assay.AuditClosed)).get(t)
	_, err := o.SetAuditStatus(e.Ctx, Actor, a.ID, assay.AuditFieldwork)
	wantCode(t, err, assay.ECONFLICT, "reopen a closed audit")
	if l := must(o.Audits(e.Ctx)).get(t); len(l) != 1 || l[0].ID != a.ID {
		t.Fatalf("Audits = %+v", l)
	}
	var actions []string
	for _, x := range e.Activity(o) {
		if x.ObjectType == "audit" {
			actions = append(actions, x.Action)
		}
	}
	jsonEq(t, actions, []string{"audit.status", "audit.status", "audit.create"}, "audit trail")
	e.Verify(ledger.Options{})
}

func testAuditBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	entries := len(e.Activity(o))
	for _, c := range []struct {
		n     assay.NewAudit
		field string
	}{
		{assay.NewAudit{Type: "type_3", Name: "X", Firm: "F", AsOf: day(2026, 1, 1)}, "type"},
		{assay.NewAudit{Type: assay.AuditType1, Name: " ", Firm: "F", AsOf: day(2026, 1, 1)}, "name"},
		{assay.NewAudit{Type: assay.AuditType1, Name: "X", Firm: "", AsOf: day(2026, 1, 1)}, "firm"},
		{assay.NewAudit{Type: assay.AuditType1, Name: "X", Firm: "F"}, "as_of"},
		{assay.NewAudit{Type: assay.AuditType2, Name: "X", Firm: "F", PeriodStart: day(2026, 1, 1)}, "period_start"},
		{assay.NewAudit{Type: assay.AuditType2, Name: "X", Firm: "F", PeriodStart: day(2026, 6, 1), PeriodEnd: day(2026, 5, 31)}, "period_end"},
	} {
		_, err := o.CreateAudit(e.Ctx, Actor, c.n)
		wantCode(t, err, assay.EINVALID, "create "+c.field)
	}
	// A short Type II period is a warning, not a refusal.
	short := assay.NewAudit{Type: assay.AuditType2, Name: "Short", Firm: "F", PeriodStart: day(2026, 1, 1), PeriodEnd: day(2026, 2, 28)}
	if w := must(short.Validate()).get(t); len(w) != 1 || w[0] != assay.ShortPeriodWarning {
		t.Fatalf("short period warnings = %q", w)
	}
	if l := must(o.Audits(e.Ctx)).get(t); len(l) != 0 {
		t.Fatalf("refused audits were stored: %+v", l)
	}
	if n := len(e.Activity(o)); n != entries {
		t.Fatalf("refused audits wrote %d entries", n-entries)
	}
	a := must(o.CreateAudit(e.Ctx, Actor, short)).get(t)
	entries = len(e.Activity(o))
	_, err := o.SetAuditStatus(e.Ctx, Actor, a.ID, "done")
	wantCode(t, err, assay.EINVALID, "unknown status")
	_, err = o.InviteAuditor(e.Ctx, Actor, a.ID, assay.NewUser{Email: "aud@example.com", Password: password}, "hash", e.Clock.Now().Add(-time.Hour))
	wantCode(t, err, assay.EINVALID, "invite with a past expiry")
	_, err = o.InviteAuditor(e.Ctx, Actor, a.ID+99, assay.NewUser{Email: "aud@example.com", Password: password}, "hash", e.Clock.Now().Add(time.Hour))
	wantCode(t, err, assay.ENOTFOUND, "invite for no audit")
	for _, n := range []assay.NewSample{{Population: assay.PopulationPeople, Size: 0}, {Population: "everything", Size: 1},
		{Population: assay.PopulationEvidence, Size: 1}, {Population: assay.PopulationEvidence, ControlID: "AV-01", Size: 1},
		{Population: assay.PopulationPeople, Size: 1}} {
		_, err = o.CreateAuditSample(e.Ctx, Actor, a.ID, n)
		wantCode(t, err, assay.EINVALID, "sample "+n.Population)
	}
	if n := len(e.Activity(o)); n != entries {
		t.Fatalf("refused changes wrote %d entries", n-entries)
	}
	if l := must(o.AuditSamples(e.Ctx, a.ID)).get(t); len(l) != 0 {
		t.Fatalf("refused samples were stored: %+v", l)
	}
	if _, _, err := e.Store.UserByEmail(e.Ctx, "aud@example.com"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("refused invitation created a user: %v", err)
	}
}

func testAuditTenancy(e *Env) {
	t := e.T
	tn := twoTenants(e)
	a := e.typeII(tn.a)
	must(tn.a.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationChanges, Size: 1})).get(t)
	bEntries := len(e.Activity(tn.b))
	_, err := tn.b.Audit(e.Ctx, a.ID)
	wantCode(t, err, assay.ENOTFOUND, "B reads A's audit")
	if l := must(tn.b.Audits(e.Ctx)).get(t); len(l) != 0 {
		t.Fatalf("B lists A's audits: %+v", l)
	}
	_, err = tn.b.AuditPeriod(e.Ctx, a.ID)
	wantCode(t, err, assay.ENOTFOUND, "B reads A's period")
	_, err = tn.b.AuditSamples(e.Ctx, a.ID)
	wantCode(t, err, assay.ENOTFOUND, "B lists A's samples")
	_, err = tn.b.AuditPopulation(e.Ctx, a.ID, assay.PopulationChanges, "", 0)
	wantCode(t, err, assay.ENOTFOUND, "B lists A's population")
	_, err = tn.b.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationChanges, Size: 1})
	wantCode(t, err, assay.ENOTFOUND, "B samples A's audit")
	_, err = tn.b.SetAuditStatus(e.Ctx, Actor, a.ID, assay.AuditFieldwork)
	wantCode(t, err, assay.ENOTFOUND, "B moves A's audit")
	_, err = tn.b.InviteAuditor(e.Ctx, Actor, a.ID, assay.NewUser{Email: "spy@example.com", Password: password}, "h", e.Clock.Now().Add(time.Hour))
	wantCode(t, err, assay.ENOTFOUND, "B invites an auditor for A's audit")
	if n := len(e.Activity(tn.b)); n != bEntries {
		t.Fatalf("B's attempts wrote %d entries", n-bEntries)
	}
	// B's own population does not see A's changes.
	b := e.typeII(tn.b)
	for _, it := range must(tn.b.AuditPopulation(e.Ctx, b.ID, assay.PopulationChanges, "", 0)).get(t).Items {
		for _, x := range e.Activity(tn.a) {
			if it.Key == "activity:"+itoa(x.Seq) {
				t.Fatalf("B's population holds A's entry %s", it.Key)
			}
		}
	}
}

func testAuditAuditorExpires(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	a := e.typeII(o)
	expires := e.Clock.Now().Add(48 * time.Hour)
	u := must(o.InviteAuditor(e.Ctx, Actor, a.ID, assay.NewUser{Email: "Auditor@Example.com", Name: "Ann Auditor", Password: password}, "hash-aud", expires)).get(t)
	if u.Role != assay.RoleAuditor || u.EngagementID != a.ID || u.AccessExpiresAt == nil || !u.AccessExpiresAt.Equal(expires) || !u.EngagementLimited() {
		t.Fatalf("invited auditor: %+v", u)
	}
	jsonEq(t, must(o.User(e.Ctx, u.ID)).get(t), u, "auditor read back")
	e.session(u, "sess-aud")
	tok := must(o.CreateAPIToken(e.Ctx, Actor, assay.APIToken{UserID: u.ID, Name: "aud"}, "tok-aud")).get(t)
	got, _, err := e.Store.UserBySession(e.Ctx, "sess-aud")
	if err != nil || got.EngagementID != a.ID {
		t.Fatalf("session before expiry: %+v %v", got, err)
	}
	must2(e.Store.UserByAPIToken(e.Ctx, "tok-aud")).get(t)
	e.Verify(ledger.Options{})

	e.Clock.T = expires
	_, _, err = e.Store.UserBySession(e.Ctx, "sess-aud")
	wantCode(t, err, assay.EUNAUTHORIZED, "session after the access expired")
	_, _, err = e.Store.UserByAPIToken(e.Ctx, "tok-aud")
	wantCode(t, err, assay.EUNAUTHORIZED, "API token after the access expired")
	if !u.AccessExpired(e.Clock.Now()) {
		t.Fatal("AccessExpired is false at the expiry")
	}
	_ = tok
}

func testAuditPeriodView(e *Env) {
	t := e.T
	e.Clock.T = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	_, o := e.Org("acme")
	e.SetStatus(o, "AC-01", assay.StatusImplemented) // before the period: not an exception
	e.Clock.T = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := must(o.CreateAudit(e.Ctx, Actor, assay.NewAudit{Type: assay.AuditType2, Name: "H1", Firm: "F",
		PeriodStart: day(2026, 1, 1), PeriodEnd: day(2026, 6, 30)})).get(t)
	e.Clock.T = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	e.SetStatus(o, "AC-01", assay.StatusInProgress)
	e.Clock.T = time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
	e.SetStatus(o, "AC-01", assay.StatusImplemented)
	old := must(o.CreateEvidence(e.Ctx, Actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "Q1 review", NoteText: "done",
		ValidDays: 30, Controls: []string{"AC-01"}})).get(t)
	e.Clock.T = time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC) // after old expired on 12 March
	renewal := e.Note(o, "Q1 review, late", "AC-01")
	e.Clock.T = time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC) // after the period
	e.Note(o, "Later", "AC-01")

	p := must(o.AuditPeriod(e.Ctx, a.ID)).get(t)
	if !p.Start.Equal(*day(2026, 1, 1)) || !p.End.Equal(*day(2026, 7, 1)) {
		t.Fatalf("window %v..%v", p.Start, p.End)
	}
	var ac assay.PeriodControl
	for _, c := range p.Controls {
		if c.ID == "AC-01" {
			ac = c
		}
	}
	if len(ac.Evidence) != 2 || ac.Evidence[0].ID != renewal.ID || ac.Evidence[1].ID != old.ID {
		t.Fatalf("AC-01's evidence in the period: %+v", ac.Evidence)
	}
	if len(ac.History) != 2 || ac.History[0].To != assay.StatusInProgress || ac.History[1].To != assay.StatusImplemented {
		t.Fatalf("AC-01's history: %+v", ac.History)
	}
	if len(ac.Exceptions) != 2 {
		t.Fatalf("AC-01's exceptions: %+v", ac.Exceptions)
	}
	ni, ex := ac.Exceptions[0], ac.Exceptions[1]
	if ni.Kind != assay.ExceptionNotImplemented || !ni.From.Equal(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)) || ni.To == nil || ni.Resolution == assay.Unresolved {
		t.Fatalf("not-implemented exception: %+v", ni)
	}
	if ex.Kind != assay.ExceptionEvidenceExpired || ex.Resolution == assay.Unresolved || ex.To == nil || !ex.To.Equal(renewal.CollectedAt) {
		t.Fatalf("expired-evidence exception: %+v", ex)
	}
	// GV-01 was never implemented: one unresolved exception over the period.
	for _, c := range p.Controls {
		if c.ID == "GV-01" && (len(c.Exceptions) != 1 || c.Exceptions[0].Resolution != assay.Unresolved) {
			t.Fatalf("GV-01's exceptions: %+v", c.Exceptions)
		}
	}
	var crit []string
	for _, c := range p.Criteria {
		crit = append(crit, c.ID)
	}
	jsonEq(t, crit, []string{"CC1.1", "CC6.1", "CC6.2"}, "criteria of the period view")
}

// independentSample is the README's algorithm, written again from its text.
func independentSample(keys []string, seed uint64, n int) []string {
	k := append([]string(nil), keys...)
	sort.Strings(k)
	r := rand.New(rand.NewPCG(seed, 0))
	for i := len(k) - 1; i >= 1; i-- {
		j := r.Uint64() % uint64(i+1)
		k[i], k[j] = k[j], k[i]
	}
	return k[:min(n, len(k))]
}

func testAuditSample(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	e.Clock.T = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := e.typeII(o)
	for i := range 12 {
		e.Clock.Advance(time.Hour)
		e.User(o, "person"+string(rune('a'+i))+"@example.com", assay.RoleMember)
	}
	e.Clock.Advance(time.Hour)
	seed := uint64(20260301)
	s1 := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationPeople, Size: 5, Seed: &seed})).get(t)
	if s1.PopulationSize != 12 || len(s1.Keys) != 5 || s1.Seed != seed {
		t.Fatalf("sample: %+v", s1)
	}
	// Changes after the draw do not change the population it was drawn from.
	e.Clock.Advance(time.Hour)
	e.User(o, "late@example.com", assay.RoleMember)
	pop := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationPeople, "", s1.CutoffSeq)).get(t)
	keys := assay.SortedKeys(pop.Items)
	if pop.Digest != s1.PopulationDigest || len(keys) != 12 {
		t.Fatalf("population again: %d items, digest %s, want %s", len(keys), pop.Digest, s1.PopulationDigest)
	}
	jsonEq(t, independentSample(keys, seed, 5), s1.Keys, "sample redrawn from the README's algorithm")
	if !slices.IsSorted(keys) {
		t.Fatal("population keys are not sorted")
	}
	e.Clock.Advance(time.Hour)
	s2 := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationPeople, Size: 5, Seed: &seed})).get(t)
	if s2.PopulationSize != 13 {
		t.Fatalf("second population size = %d", s2.PopulationSize)
	}
	e.SetStatus(o, "AC-01", assay.StatusInProgress)
	other := uint64(7)
	s3 := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationControlChanges, ControlID: "AC-01", Size: 1, Seed: &other})).get(t)
	_ = s3
	s4 := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationChanges, Size: 3})).get(t)
	pop4 := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationChanges, "", s4.CutoffSeq)).get(t)
	jsonEq(t, assay.DrawSample(assay.SortedKeys(pop4.Items), s4.Seed, 3), s4.Keys, "random-seed sample redrawn")

	// No size: the usual size for the population; the population is
	// frozen with the sample, with its provenance, and stays as it was.
	s5 := must(o.CreateAuditSample(e.Ctx, Actor, a.ID, assay.NewSample{Population: assay.PopulationPeople})).get(t)
	if s5.Size != assay.DefaultSampleSize(s5.PopulationSize) || len(s5.Keys) != s5.Size || s5.RowsDigest == "" {
		t.Fatalf("default-size sample: %+v", s5)
	}
	e.Clock.Advance(time.Hour)
	e.User(o, "late-hire@example.com", assay.RoleMember)
	frozen := must(o.AuditSamplePopulation(e.Ctx, a.ID, s5.ID)).get(t)
	if !frozen.Frozen || len(frozen.Items) != s5.PopulationSize || frozen.Digest != s5.PopulationDigest || frozen.Provenance == nil ||
		frozen.Provenance.RowsDigest != s5.RowsDigest || frozen.Provenance.Count != s5.PopulationSize || !strings.Contains(frozen.Provenance.Query, "FROM users") {
		t.Fatalf("frozen population: %+v", frozen)
	}
	if now := must(o.AuditPopulation(e.Ctx, a.ID, assay.PopulationPeople, "", 0)).get(t); len(now.Items) != s5.PopulationSize+1 {
		t.Fatalf("the population now has %d people, want %d", len(now.Items), s5.PopulationSize+1)
	}
	_, err := o.AuditSamplePopulation(e.Ctx, a.ID, 9999)
	wantCode(t, err, assay.ENOTFOUND, "a missing sample's population")

	list := must(o.AuditSamples(e.Ctx, a.ID)).get(t)
	if len(list) != 5 {
		t.Fatalf("samples = %d", len(list))
	}
	jsonEq(t, list[0], s1, "recorded sample")
	var n int
	for _, x := range e.Activity(o) {
		if x.Action == "audit.sample" {
			n++
		}
	}
	if n != 5 {
		t.Fatalf("audit.sample entries = %d", n)
	}
	e.Verify(ledger.Options{})
}
