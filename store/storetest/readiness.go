package storetest

import (
	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var readinessTests = []subtest{
	{"Readiness", testReadiness},
	{"ReadinessUnmappedCriterion", testReadinessUnmapped},
}

type figures map[string][2]int // category (or "overall") -> met, total

func (e *Env) readiness(os store.OrgStore) assay.Readiness {
	e.T.Helper()
	org := must(os.Organization(e.Ctx)).get(e.T)
	controls := must(os.Controls(e.Ctx, assay.ControlFilter{})).get(e.T)
	checks := must(os.CustomChecks(e.Ctx)).get(e.T)
	now := e.Clock.Now()
	rule := must(rules.FullRule(e.Ctx, os, now, checks, assay.ReadinessRule{})).get(e.T)
	return rule.Compute(now, Criteria(), org.Scope, controls)
}

// wantReadiness checks the figures, and which criteria are met.
func wantReadiness(e *Env, r assay.Readiness, want figures, met, unmet []string) {
	e.T.Helper()
	t := e.T
	if got := r.Overall; got.Met != want["overall"][0] || got.Total != want["overall"][1] {
		t.Fatalf("overall = %+v, want %v", got, want["overall"])
	}
	if r.Overall.Total > 0 && r.Overall.Percent != r.Overall.Met*100/r.Overall.Total {
		t.Fatalf("overall percent = %d", r.Overall.Percent)
	}
	if len(r.Categories) != len(assay.Categories) {
		t.Fatalf("categories = %+v", r.Categories)
	}
	for _, c := range r.Categories {
		w, in := want[c.Category]
		if c.InScope != in || c.Met != w[0] || c.Total != w[1] {
			t.Fatalf("category %s = %+v, want in scope %v with %v", c.Category, c, in, w)
		}
	}
	state := map[string]bool{}
	for _, c := range r.Criteria {
		state[c.ID] = c.Met
		if !c.Met && c.Reason == "" {
			t.Fatalf("unmet criterion %s has no reason", c.ID)
		}
	}
	if len(state) != len(met)+len(unmet) {
		t.Fatalf("criteria in scope = %v, want met %v and unmet %v", state, met, unmet)
	}
	for _, id := range met {
		if m, ok := state[id]; !ok || !m {
			t.Fatalf("criterion %s met = %v (in scope %v), want met", id, m, ok)
		}
	}
	var gaps []string
	for _, g := range r.Gaps {
		gaps = append(gaps, g.ID)
	}
	for _, id := range unmet {
		if m, ok := state[id]; !ok || m {
			t.Fatalf("criterion %s met = %v (in scope %v), want unmet", id, m, ok)
		}
	}
	if len(gaps) != len(unmet) {
		t.Fatalf("gaps = %v, want %v", gaps, unmet)
	}
}

func testReadiness(e *Env) {
	t := e.T
	_, os := e.Org("acme", "availability")
	// Current evidence for every control, so the figures below turn on
	// status alone (EvidenceReadiness tests evidence).
	e.Note(os, "Evidence for every control", LibraryIDs...)
	r := e.readiness(os)
	if !r.ComputedAt.Equal(e.Clock.Now()) {
		t.Fatalf("computed at %v", r.ComputedAt)
	}
	wantIDs(t, r.Scope, []string{"security", "availability"}, "scope")
	// PR-01 maps only to privacy, which is out of scope.
	if r.Controls[assay.StatusNotStarted] != 5 || len(r.Controls) != 1 {
		t.Fatalf("controls by status = %v", r.Controls)
	}
	wantReadiness(e, r, figures{"overall": {0, 4}, "security": {0, 3}, "availability": {0, 1}},
		nil, []string{"CC1.1", "CC6.1", "CC6.2", "A1.1"})

	// AC-01 meets CC6.2 alone; CC6.1 also relies on AC-02.
	e.SetStatus(os, "AC-01", assay.StatusImplemented)
	e.SetStatus(os, "AC-02", assay.StatusInProgress)
	wantReadiness(e, e.readiness(os), figures{"overall": {1, 4}, "security": {1, 3}, "availability": {0, 1}},
		[]string{"CC6.2"}, []string{"CC1.1", "CC6.1", "A1.1"})

	// Not applicable controls are not relied on.
	e.SetStatus(os, "AC-02", assay.StatusNotApplicable)
	wantReadiness(e, e.readiness(os), figures{"overall": {2, 4}, "security": {2, 3}, "availability": {0, 1}},
		[]string{"CC6.1", "CC6.2"}, []string{"CC1.1", "A1.1"})

	// A criterion whose every control is not applicable is not met.
	e.SetStatus(os, "AV-01", assay.StatusNotApplicable)
	e.SetStatus(os, "OP-01", assay.StatusNotApplicable)
	e.SetStatus(os, "GV-01", assay.StatusImplemented)
	r = e.readiness(os)
	wantReadiness(e, r, figures{"overall": {3, 4}, "security": {3, 3}, "availability": {0, 1}},
		[]string{"CC1.1", "CC6.1", "CC6.2"}, []string{"A1.1"})
	if r.Overall.Percent != 75 || r.Gaps[0].ID != "A1.1" || len(r.Gaps[0].Missing) != 0 {
		t.Fatalf("readiness = %+v", r)
	}

	e.SetStatus(os, "AV-01", assay.StatusImplemented)
	r = e.readiness(os)
	wantReadiness(e, r, figures{"overall": {4, 4}, "security": {3, 3}, "availability": {1, 1}},
		[]string{"CC1.1", "CC6.1", "CC6.2", "A1.1"}, nil)
	if r.Overall.Percent != 100 || len(r.Gaps) != 0 {
		t.Fatalf("readiness = %+v", r)
	}

	// Bringing privacy into scope brings its criterion in.
	must(os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{"availability", "privacy"}})).get(t)
	r = e.readiness(os)
	wantReadiness(e, r, figures{"overall": {4, 5}, "security": {3, 3}, "availability": {1, 1}, "privacy": {0, 1}},
		[]string{"CC1.1", "CC6.1", "CC6.2", "A1.1"}, []string{"P1.1"})
	if r.Overall.Percent != 80 {
		t.Fatalf("overall percent = %d", r.Overall.Percent)
	}

	// Taking availability out drops it from every figure.
	must(os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{"privacy"}})).get(t)
	e.SetStatus(os, "PR-01", assay.StatusImplemented)
	r = e.readiness(os)
	wantReadiness(e, r, figures{"overall": {4, 4}, "security": {3, 3}, "privacy": {1, 1}},
		[]string{"CC1.1", "CC6.1", "CC6.2", "P1.1"}, nil)
	if r.Controls[assay.StatusImplemented] != 3 || r.Controls[assay.StatusNotApplicable] != 2 {
		// AC-01, GV-01, PR-01 implemented; AC-02, OP-01 not applicable; AV-01 is out of scope.
		t.Fatalf("controls by status = %v", r.Controls)
	}
}

func testReadinessUnmapped(e *Env) {
	_, os := e.Org("acme", "privacy")
	e.Note(os, "Evidence for every control", LibraryIDs...)
	e.SetStatus(os, "PR-01", assay.StatusImplemented)
	wantReadiness(e, e.readiness(os), figures{"overall": {1, 4}, "security": {0, 3}, "privacy": {1, 1}},
		[]string{"P1.1"}, []string{"CC1.1", "CC6.1", "CC6.2"})
	// Remapping PR-01 away leaves P1.1 with no control: not met.
	e.Update(os, "PR-01", assay.ControlPatch{Criteria: &[]string{"CC6.2"}})
	wantReadiness(e, e.readiness(os), figures{"overall": {0, 4}, "security": {0, 3}, "privacy": {0, 1}},
		nil, []string{"CC1.1", "CC6.1", "CC6.2", "P1.1"})
}
