package storetest

import (
	"strings"

	"github.com/assay-platform/assay"
)

var controlListTests = []subtest{
	{"ControlsOrderedByID", testControlsOrdered},
	{"ControlsFilterByStatus", testControlsByStatus},
	{"ControlsFilterByCategory", testControlsByCategory},
	{"ControlsFilterByCriterion", testControlsByCriterion},
	{"ControlsFilterByOwner", testControlsByOwner},
	{"ControlsTextQuery", testControlsQuery},
	{"ControlsQueryWildcardsAreLiteral", testControlsQueryWildcards},
	{"ControlsCombinedFilters", testControlsCombined},
	{"ControlByID", testControlByID},
}

func testControlsOrdered(e *Env) {
	_, os := e.Org("acme")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{}), LibraryIDs, "all controls")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Limit: 2}), LibraryIDs[:2], "limit 2")
	// A control added later still lists in id order.
	must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("AB-01", "Alphabet", "", []string{"CC1.1"}))).get(e.T)
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{}), append([]string{"AB-01"}, LibraryIDs...), "after a custom control")
}

func testControlsByStatus(e *Env) {
	_, os := e.Org("acme")
	e.SetStatus(os, "AV-01", assay.StatusImplemented)
	e.SetStatus(os, "AC-02", assay.StatusImplemented)
	e.SetStatus(os, "PR-01", assay.StatusNotApplicable)
	e.SetStatus(os, "GV-01", assay.StatusInProgress)
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Status: assay.StatusImplemented}), []string{"AC-02", "AV-01"}, "implemented")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Status: assay.StatusNotApplicable}), []string{"PR-01"}, "not applicable")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Status: assay.StatusInProgress}), []string{"GV-01"}, "in progress")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Status: assay.StatusNotStarted}), []string{"AC-01", "OP-01"}, "not started")
	_, err := os.Controls(e.Ctx, assay.ControlFilter{Status: "done"})
	wantCode(e.T, err, assay.EINVALID, "unknown status filter")
}

func testControlsByCategory(e *Env) {
	_, os := e.Org("acme")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Category: "security"}), []string{"AC-01", "AC-02", "GV-01", "OP-01"}, "security")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Category: "availability"}), []string{"AV-01", "OP-01"}, "availability")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Category: "privacy"}), []string{"PR-01"}, "privacy")
	_, err := os.Controls(e.Ctx, assay.ControlFilter{Category: "marketing"})
	wantCode(e.T, err, assay.EINVALID, "unknown category filter")
}

func testControlsByCriterion(e *Env) {
	_, os := e.Org("acme")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Criterion: "CC6.1"}), []string{"AC-01", "AC-02"}, "CC6.1")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Criterion: "CC6.2"}), []string{"AC-01"}, "CC6.2")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Criterion: " a1.1 "}), []string{"AV-01", "OP-01"}, "a1.1, normalised")
	// Listed controls carry all their criteria, not only the one filtered on.
	cs := must(os.Controls(e.Ctx, assay.ControlFilter{Criterion: "A1.1"})).get(e.T)
	wantIDs(e.T, cs[1].Criteria, []string{"CC1.1", "A1.1"}, "OP-01 criteria when filtered by A1.1")
	for _, bad := range []string{"CC9.9", "CC6", "nonsense"} {
		_, err := os.Controls(e.Ctx, assay.ControlFilter{Criterion: bad})
		wantCode(e.T, err, assay.EINVALID, "unknown criterion "+bad)
	}
	// A criterion outside the category filter matches nothing.
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Criterion: "A1.1", Category: "security"}), []string{}, "A1.1 within security")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Criterion: "CC1.1", Category: "security"}), []string{"GV-01", "OP-01"}, "CC1.1 within security")
}

func testControlsByOwner(e *Env) {
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	bob := e.User(os, "bob@example.com", assay.RoleMember)
	e.Update(os, "AC-02", assay.ControlPatch{OwnerID: &ann.ID})
	e.Update(os, "PR-01", assay.ControlPatch{OwnerID: &ann.ID})
	e.Update(os, "GV-01", assay.ControlPatch{OwnerID: &bob.ID})
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{OwnerID: ann.ID}), []string{"AC-02", "PR-01"}, "ann's")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{OwnerID: bob.ID}), []string{"GV-01"}, "bob's")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{OwnerID: -1}), []string{"AC-01", "AV-01", "OP-01"}, "unowned")
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{OwnerID: bob.ID + ann.ID + 100}), []string{}, "nobody's")
	for _, c := range must(os.Controls(e.Ctx, assay.ControlFilter{OwnerID: ann.ID})).get(e.T) {
		if c.OwnerID != ann.ID || c.OwnerName != ann.Name {
			e.T.Errorf("%s owner = %d %q, want %d %q", c.ID, c.OwnerID, c.OwnerName, ann.ID, ann.Name)
		}
	}
	// Clearing the owner makes the control unowned again.
	e.Update(os, "GV-01", assay.ControlPatch{OwnerID: ptr(int64(0))})
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{OwnerID: -1}), []string{"AC-01", "AV-01", "GV-01", "OP-01"}, "unowned after clearing")
	if c := e.Control(os, "GV-01"); c.OwnerID != 0 || c.OwnerName != "" {
		e.T.Fatalf("cleared owner = %d %q", c.OwnerID, c.OwnerName)
	}
}

func testControlsQuery(e *Env) {
	_, os := e.Org("acme")
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"BACKUPS", []string{"AV-01"}},                     // name, case-insensitive
		{"quarterly REVIEW", []string{"AC-01"}},            // description
		{"governance", []string{"GV-01"}},                  // family
		{"ac-0", []string{"AC-01", "AC-02"}},               // id
		{"  access control  ", []string{"AC-01", "AC-02"}}, // family, trimmed
		{"access", []string{"AC-01", "AC-02"}},             // family and name
		{"nothing matches this", []string{}},
		{"   ", LibraryIDs}, // blank is no filter
	} {
		wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Query: c.q}), c.want, "query "+c.q)
	}
	_, err := os.Controls(e.Ctx, assay.ControlFilter{Query: strings.Repeat("x", 201)})
	wantCode(e.T, err, assay.EINVALID, "query of 201 characters")
}

func testControlsQueryWildcards(e *Env) {
	_, os := e.Org("acme")
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"%", []string{"AC-02"}},          // only AC-02 has a percent sign
		{"100%", []string{"AC-02"}},       //
		{"100% of", []string{"AC-02"}},    //
		{"_", []string{"OP-01"}},          // only OP-01 has an underscore
		{"change_log", []string{"OP-01"}}, //
		{"code_of", []string{}},           // "code of" is in GV-01, but _ is not a wildcard
		{"100_", []string{}},              // "100%" is in AC-02, but _ is not a wildcard
		{"m%a", []string{}},               // % is not a wildcard either
		{`\`, []string{}},                 // the escape character is literal too
	} {
		wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Query: c.q}), c.want, "query "+c.q)
	}
	e.Update(os, "GV-01", assay.ControlPatch{Description: ptr(`Signed copies live in C:\policies\conduct.`)})
	wantIDs(e.T, e.ControlIDs(os, assay.ControlFilter{Query: `c:\policies\`}), []string{"GV-01"}, "query with backslashes")
}

func testControlsCombined(e *Env) {
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	e.SetStatus(os, "AC-01", assay.StatusImplemented)
	e.SetStatus(os, "OP-01", assay.StatusImplemented)
	e.Update(os, "OP-01", assay.ControlPatch{OwnerID: &ann.ID})
	e.Update(os, "AV-01", assay.ControlPatch{OwnerID: &ann.ID})
	for _, c := range []struct {
		f    assay.ControlFilter
		want []string
	}{
		{assay.ControlFilter{Category: "security", Status: assay.StatusImplemented}, []string{"AC-01", "OP-01"}},
		{assay.ControlFilter{Category: "security", Status: assay.StatusNotStarted}, []string{"AC-02", "GV-01"}},
		{assay.ControlFilter{Category: "availability", OwnerID: ann.ID}, []string{"AV-01", "OP-01"}},
		{assay.ControlFilter{Category: "availability", OwnerID: ann.ID, Status: assay.StatusImplemented}, []string{"OP-01"}},
		{assay.ControlFilter{Criterion: "CC6.1", Query: "multi"}, []string{"AC-02"}},
		{assay.ControlFilter{Criterion: "CC6.1", Query: "backups"}, []string{}},
		{assay.ControlFilter{OwnerID: -1, Query: "access"}, []string{"AC-01", "AC-02"}},
		{assay.ControlFilter{OwnerID: -1, Status: assay.StatusImplemented}, []string{"AC-01"}},
		{assay.ControlFilter{Category: "security", Status: assay.StatusImplemented, Query: "change", OwnerID: ann.ID, Criterion: "CC1.1"}, []string{"OP-01"}},
		{assay.ControlFilter{Category: "security", Limit: 1, Status: assay.StatusImplemented}, []string{"AC-01"}},
	} {
		wantIDs(e.T, e.ControlIDs(os, c.f), c.want, sprint(c.f))
	}
}

func testControlByID(e *Env) {
	_, os := e.Org("acme")
	c := e.Control(os, "OP-01")
	if c.ID != "OP-01" || c.Name != "Change management" || c.Family != "Operations" || c.Custom || c.Status != assay.StatusNotStarted {
		e.T.Fatalf("OP-01 = %+v", c)
	}
	wantIDs(e.T, c.Criteria, []string{"CC1.1", "A1.1"}, "OP-01 criteria")
	// The single read and the list agree.
	for _, listed := range must(os.Controls(e.Ctx, assay.ControlFilter{})).get(e.T) {
		jsonEq(e.T, e.Control(os, listed.ID), listed, "Control("+listed.ID+") and Controls")
	}
	for _, id := range []string{"XX-99", "", "op-01x"} {
		_, err := os.Control(e.Ctx, id)
		wantCode(e.T, err, assay.ENOTFOUND, "control "+id)
	}
}
