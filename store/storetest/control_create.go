package storetest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var controlCreateTests = []subtest{
	{"CreateControl", testCreateControl},
	{"CreateControlDuplicateID", testCreateControlDuplicate},
	{"CreateControlInvalid", testCreateControlInvalid},
}

func testCreateControl(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	ann := e.User(os, "ann@example.com", assay.RoleMember)
	entries := len(e.Activity(os))
	e.Clock.Advance(time.Hour)
	c := assay.NewCustomControl(" cus-01 ", " Vendor reviews ", "Review the SOC reports of vendors.", []string{"cc6.2", "CC1.1", "cc6.2"})
	c.OwnerID = ann.ID
	got, err := os.CreateControl(e.Ctx, Actor, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "CUS-01" || got.Name != "Vendor reviews" || !got.Custom || got.Status != assay.StatusNotStarted ||
		got.OwnerID != ann.ID || got.OwnerName != ann.Name || got.Family != "Custom" ||
		!got.CreatedAt.Equal(e.Clock.Now()) || !got.UpdatedAt.Equal(e.Clock.Now()) {
		t.Fatalf("created = %+v", got)
	}
	wantIDs(t, got.Criteria, []string{"CC1.1", "CC6.2"}, "criteria")
	jsonEq(t, e.Control(os, "CUS-01"), got, "re-read")
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{Criterion: "CC6.2"}), []string{"AC-01", "CUS-01"}, "CC6.2")
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{}), []string{"AC-01", "AC-02", "AV-01", "CUS-01", "GV-01", "OP-01", "PR-01"}, "all")

	acts := e.Activity(os)
	if len(acts) != entries+1 || acts[0].Action != "control.create" || acts[0].ObjectType != "control" || acts[0].ObjectID != "CUS-01" {
		t.Fatalf("activity = %s", sprint(acts[0]))
	}
	var after assay.Control
	if err := json.Unmarshal(acts[0].After, &after); err != nil {
		t.Fatal(err)
	}
	jsonEq(t, after, got, "entry's after")

	// A status given on creation is kept.
	c2 := assay.NewCustomControl("CUS-02", "Pen test", "", []string{"CC6.1"})
	c2.Status = assay.StatusImplemented
	if got := must(os.CreateControl(e.Ctx, Actor, c2)).get(t); got.Status != assay.StatusImplemented || e.Control(os, "CUS-02").Status != assay.StatusImplemented {
		t.Fatalf("status on creation = %q", got.Status)
	}
}

func testCreateControlDuplicate(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	first := must(os.CreateControl(e.Ctx, Actor, assay.NewCustomControl("CUS-01", "First", "", []string{"CC6.1"}))).get(t)
	entries := len(e.Activity(os))
	for _, id := range []string{"CUS-01", "cus-01", "AC-01"} {
		_, err := os.CreateControl(e.Ctx, Actor, assay.NewCustomControl(id, "Second", "", []string{"A1.1"}))
		wantCode(t, err, assay.ECONFLICT, "duplicate "+id)
	}
	jsonEq(t, e.Control(os, "CUS-01"), first, "first control after duplicates")
	if c := e.Control(os, "AC-01"); c.Name != "Access reviews" || c.Custom {
		t.Fatalf("library control after duplicate = %+v", c)
	}
	wantIDs(t, e.Control(os, "AC-01").Criteria, []string{"CC6.1", "CC6.2"}, "AC-01 criteria after duplicate")
	if n := len(e.Activity(os)); n != entries {
		t.Fatalf("duplicates wrote %d entries", n-entries)
	}
}

func testCreateControlInvalid(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	_, other := e.Org("other")
	stranger := e.User(other, "stranger@example.com", assay.RoleAdmin)
	entries := len(e.Activity(os))
	custom := func(id, name string, criteria ...string) assay.Control {
		return assay.NewCustomControl(id, name, "", criteria)
	}
	withStatus := func(c assay.Control, s assay.ControlStatus) assay.Control { c.Status = s; return c }
	withOwner := func(c assay.Control, id int64) assay.Control { c.OwnerID = id; return c }
	withFrequency := func(c assay.Control, f string) assay.Control { c.Frequency = f; return c }
	for name, c := range map[string]assay.Control{
		"empty name":             custom("CUS-01", "", "CC6.1"),
		"blank name":             custom("CUS-01", "   ", "CC6.1"),
		"empty id":               custom("", "Name", "CC6.1"),
		"id starting with digit": custom("1CUS", "Name", "CC6.1"),
		"id with space":          custom("CUS 01", "Name", "CC6.1"),
		"id with underscore":     custom("CUS_01", "Name", "CC6.1"),
		"id too long":            custom("C"+strings.Repeat("X", assay.MaxControlIDLen), "Name", "CC6.1"),
		"no criteria":            custom("CUS-01", "Name"),
		"unknown criterion":      custom("CUS-01", "Name", "CC6.1", "CC9.9"),
		"unknown status":         withStatus(custom("CUS-01", "Name", "CC6.1"), "done"),
		"N/A without reason":     withStatus(custom("CUS-01", "Name", "CC6.1"), assay.StatusNotApplicable),
		"owner of another org":   withOwner(custom("CUS-01", "Name", "CC6.1"), stranger.ID),
		"unknown frequency":      withFrequency(custom("CUS-01", "Name", "CC6.1"), "hourly"),
		"name too long":          custom("CUS-01", strings.Repeat("n", assay.MaxNameLen+1), "CC6.1"),
	} {
		_, err := os.CreateControl(e.Ctx, Actor, c)
		wantCode(t, err, assay.EINVALID, name)
	}
	wantIDs(t, e.ControlIDs(os, assay.ControlFilter{}), LibraryIDs, "controls after refused creates")
	if n := len(e.Activity(os)); n != entries {
		t.Fatalf("refused creates wrote %d entries", n-entries)
	}
}
