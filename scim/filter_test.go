package scim

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func resource(t *testing.T, raw string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFilters(t *testing.T) {
	u := resource(t, `{"id":"12","userName":"Ana.Diaz@example.com","externalId":"00u1","active":true,
		"name":{"givenName":"Ana","familyName":"Díaz"},"emails":[{"value":"ana@work.example","type":"work","primary":true}]}`)
	for filter, want := range map[string]bool{
		`userName eq "ana.diaz@example.com"`:                     true,
		`USERNAME EQ "ANA.DIAZ@EXAMPLE.COM"`:                     true,
		`userName eq "someone@example.com"`:                      false,
		`externalId eq "00u1"`:                                   true,
		`emails[type eq "work"].value eq "ana@work.example"`:     true,
		`emails[type eq "home"].value eq "ana@work.example"`:     false,
		`emails[type eq "work" and value eq "ana@work.example"]`: true,
		`emails.value eq "ana@work.example"`:                     true,
		`name.familyName sw "Dí"`:                                true,
		`active eq true`:                                         true,
		`active eq false`:                                        false,
		`not (userName eq "x@example.com")`:                      true,
		`userName eq "x@example.com" or externalId eq "00u1"`:    true,
		`userName eq "x@example.com" and externalId eq "00u1"`:   false,
		`id eq "12"`: true,
		`title pr`:   false,
		`urn:ietf:params:scim:schemas:core:2.0:User:userName pr`: true,
		`emails[type eq "work"].value eq "a\"b" or userName pr`:  true,
	} {
		exp, err := parseFilter(filter)
		if err != nil {
			t.Errorf("%s: %v", filter, err)
			continue
		}
		if got := matches(exp, u); got != want {
			t.Errorf("%s: %v, want %v", filter, got, want)
		}
	}
	for _, bad := range []string{`userName eq`, `userName xx "a"`, `(userName eq "a"`, `userName eq "unterminated`} {
		if _, err := parseFilter(bad); err == nil {
			t.Errorf("%s: parsed", bad)
		} else if e, ok := err.(*Error); !ok || e.SCIMType != errFilter || e.Status != 400 {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestUserPatchOps(t *testing.T) {
	base := assay.SCIMUser{UserName: "ana@example.com", Email: "ana@example.com", GivenName: "Ana", FamilyName: "Díaz", ExternalID: "x", Active: true}
	for _, c := range []struct {
		op    patchOp
		check func(assay.SCIMUser) bool
	}{
		{patchOp{Op: "replace", Value: map[string]any{"active": false}}, func(u assay.SCIMUser) bool { return !u.Active }},
		{patchOp{Op: "replace", Path: "active", Value: "False"}, func(u assay.SCIMUser) bool { return !u.Active }},
		{patchOp{Op: "replace", Path: "active", Value: "TRUE"}, func(u assay.SCIMUser) bool { return u.Active }},
		{patchOp{Op: "replace", Path: `emails[type eq "work"].value`, Value: "new@example.com"}, func(u assay.SCIMUser) bool { return u.Email == "new@example.com" }},
		{patchOp{Op: "add", Path: "emails", Value: []any{map[string]any{"value": "h@example.com", "type": "home"}, map[string]any{"value": "w@example.com", "type": "work"}}},
			func(u assay.SCIMUser) bool { return u.Email == "w@example.com" }},
		{patchOp{Op: "replace", Path: "name.givenName", Value: "Anabel"}, func(u assay.SCIMUser) bool { return u.GivenName == "Anabel" && u.FamilyName == "Díaz" }},
		{patchOp{Op: "replace", Value: map[string]any{"name.familyName": "Diaz", "userName": "ana2@example.com"}},
			func(u assay.SCIMUser) bool { return u.FamilyName == "Diaz" && u.UserName == "ana2@example.com" }},
		{patchOp{Op: "replace", Path: "urn:ietf:params:scim:schemas:core:2.0:User:displayName", Value: "A. D."}, func(u assay.SCIMUser) bool { return u.Formatted == "A. D." }},
		{patchOp{Op: "remove", Path: "externalId"}, func(u assay.SCIMUser) bool { return u.ExternalID == "" }},
		{patchOp{Op: "replace", Path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", Value: map[string]any{"value": "9"}},
			func(u assay.SCIMUser) bool { return u == base }},
		{patchOp{Op: "add", Path: `phoneNumbers[type eq "work"].value`, Value: "+1 555"}, func(u assay.SCIMUser) bool { return u == base }},
	} {
		u := base
		if err := applyUserOp(&u, c.op); err != nil || !c.check(u) {
			t.Errorf("%+v: %+v %v", c.op, u, err)
		}
	}
	for _, bad := range []patchOp{
		{Op: "remove", Path: "userName"},
		{Op: "remove", Path: "active"},
		{Op: "remove"},
		{Op: "replace", Value: "not an object"},
		{Op: "replace", Path: "active", Value: "yes please"},
		{Op: "replace", Path: "emails[type eq", Value: "x"},
		{Op: "replace", Path: "userName", Value: 12},
	} {
		u := base
		if err := applyUserOp(&u, bad); err == nil {
			t.Errorf("%+v: accepted", bad)
		}
	}
}
