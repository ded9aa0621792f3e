package storetest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

var scopeTests = []subtest{
	{"UpdateScope", testUpdateScope},
	{"UpdateScopeUnknownCategory", testUpdateScopeUnknown},
	{"SystemDescriptionRoundTrip", testSystemDescription},
	{"SystemDescriptionInvalid", testSystemDescriptionInvalid},
}

func testUpdateScope(e *Env) {
	t := e.T
	org, os := e.Org("acme")
	e.Clock.Advance(time.Hour)
	got := must(os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{"privacy", "availability", "privacy"}})).get(t)
	want := []string{"security", "availability", "privacy"}
	wantIDs(t, got.Scope.Categories, want, "returned scope")
	if !got.UpdatedAt.Equal(e.Clock.Now()) || !got.CreatedAt.Equal(Epoch) || got.Slug != org.Slug {
		t.Fatalf("returned organisation = %+v", got)
	}
	jsonEq(t, must(os.Organization(e.Ctx)).get(t), got, "re-read")
	a := e.Activity(os)[0]
	var before, after assay.Scope
	if a.Action != "scope.update" || a.ObjectID != "acme" || json.Unmarshal(a.Before, &before) != nil || json.Unmarshal(a.After, &after) != nil {
		t.Fatalf("entry = %+v", a)
	}
	wantIDs(t, before.Categories, []string{"security"}, "entry's before")
	wantIDs(t, after.Categories, want, "entry's after")
	// Security cannot be taken out.
	got = must(os.UpdateScope(e.Ctx, Actor, assay.Scope{})).get(t)
	wantIDs(t, got.Scope.Categories, []string{"security"}, "empty scope")
	wantIDs(t, must(os.Organization(e.Ctx)).get(t).Scope.Categories, []string{"security"}, "re-read empty scope")
}

func testUpdateScopeUnknown(e *Env) {
	t := e.T
	_, os := e.Org("acme", "availability")
	before := must(os.Organization(e.Ctx)).get(t)
	entries := len(e.Activity(os))
	for _, cats := range [][]string{{"marketing"}, {"availability", "Privacy"}, {""}} {
		_, err := os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: cats})
		wantCode(t, err, assay.EINVALID, "scope "+strings.Join(cats, ","))
	}
	jsonEq(t, must(os.Organization(e.Ctx)).get(t), before, "organisation after refused scopes")
	if len(e.Activity(os)) != entries {
		t.Fatal("refused scopes wrote activity")
	}
}

func fullDescription() assay.SystemDescription {
	var d assay.SystemDescription
	for i, s := range assay.SystemSections {
		d.SetSection(s.Key, "Text of "+s.Title+" — ünïcode, quotes \"'\n"+strings.Repeat("x", i))
	}
	d.Subservices = []assay.SubserviceOrg{
		{Name: "Cloud Host", Services: "Compute and storage", Method: "carve_out", Controls: "Physical security of the data centres"},
		{Name: "Mail Relay", Services: "Transactional email", Method: "inclusive"},
	}
	return d
}

func testSystemDescription(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	d := fullDescription()
	got := must(os.UpdateSystemDescription(e.Ctx, Actor, d)).get(t)
	jsonEq(t, got.System, d, "returned description")
	reread := must(os.Organization(e.Ctx)).get(t)
	jsonEq(t, reread.System, d, "re-read description")
	for _, s := range assay.SystemSections {
		if reread.System.Section(s.Key) != d.Section(s.Key) || d.Section(s.Key) == "" {
			t.Fatalf("section %s = %q", s.Key, reread.System.Section(s.Key))
		}
	}
	if filled, total := reread.System.Completion(); filled != total {
		t.Fatalf("completion %d/%d", filled, total)
	}
	a := e.Activity(os)[0]
	var after assay.SystemDescription
	if a.Action != "system_description.update" || json.Unmarshal(a.After, &after) != nil {
		t.Fatalf("entry = %+v", a)
	}
	jsonEq(t, after, d, "entry's after")
	// Replacing drops what the new description leaves out.
	smaller := assay.SystemDescription{Services: "Only services."}
	must(os.UpdateSystemDescription(e.Ctx, Actor, smaller)).get(t)
	reread = must(os.Organization(e.Ctx)).get(t)
	if reread.System.Services != "Only services." || reread.System.Software != "" || reread.System.Subservices == nil || len(reread.System.Subservices) != 0 {
		t.Fatalf("after replacing = %+v", reread.System)
	}
	// The scope is untouched by the description, and the reverse.
	must(os.UpdateScope(e.Ctx, Actor, assay.Scope{Categories: []string{"privacy"}})).get(t)
	if got := must(os.Organization(e.Ctx)).get(t); got.System.Services != "Only services." {
		t.Fatalf("scope update lost the description: %+v", got.System)
	}
}

func testSystemDescriptionInvalid(e *Env) {
	t := e.T
	_, os := e.Org("acme")
	must(os.UpdateSystemDescription(e.Ctx, Actor, fullDescription())).get(t)
	before := must(os.Organization(e.Ctx)).get(t)
	entries := len(e.Activity(os))
	withSub := func(s ...assay.SubserviceOrg) assay.SystemDescription {
		d := assay.SystemDescription{Services: "changed"}
		d.Subservices = s
		return d
	}
	tooMany := make([]assay.SubserviceOrg, assay.MaxSubservices+1)
	for i := range tooMany {
		tooMany[i] = assay.SubserviceOrg{Name: "v", Method: "inclusive"}
	}
	for name, d := range map[string]assay.SystemDescription{
		"subservice without name":  withSub(assay.SubserviceOrg{Name: "  ", Services: "x", Method: "carve_out"}),
		"subservice bad method":    withSub(assay.SubserviceOrg{Name: "Vendor", Method: "partial"}),
		"subservice no method":     withSub(assay.SubserviceOrg{Name: "Vendor"}),
		"second subservice bad":    withSub(assay.SubserviceOrg{Name: "Ok", Method: "inclusive"}, assay.SubserviceOrg{Name: "Bad", Method: "Carve_Out"}),
		"too many subservices":     withSub(tooMany...),
		"section too long":         {Boundaries: strings.Repeat("b", assay.MaxTextLen+1)},
		"subservice name too long": withSub(assay.SubserviceOrg{Name: strings.Repeat("n", assay.MaxNameLen+1), Method: "inclusive"}),
	} {
		_, err := os.UpdateSystemDescription(e.Ctx, Actor, d)
		wantCode(t, err, assay.EINVALID, name)
		assertOrg(e, os, before, entries)
	}
}

func assertOrg(e *Env, os store.OrgStore, before assay.Organization, entries int) {
	e.T.Helper()
	jsonEq(e.T, must(os.Organization(e.Ctx)).get(e.T), before, "organisation after a refused change")
	if n := len(e.Activity(os)); n != entries {
		e.T.Fatalf("a refused change wrote %d entries", n-entries)
	}
}
