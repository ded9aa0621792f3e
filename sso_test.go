package assay_test

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestSSOMapRoleHighestWins(t *testing.T) {
	s := assay.SSOSettings{RoleMap: map[string]assay.Role{"staff": assay.RoleMember, "audit": assay.RoleAuditor, "root": assay.RoleAdmin,
		"all": assay.RoleEmployee, "Grüne Gruppe": assay.RoleViewer}}
	for _, c := range []struct {
		groups []string
		want   assay.Role
		mapped bool
	}{
		{nil, "", false},
		{[]string{"nobody", "STAFF"}, "", false}, // group names match exactly
		{[]string{"all", "audit"}, assay.RoleAuditor, true},
		{[]string{"audit", "staff", "all"}, assay.RoleMember, true},
		{[]string{"staff", "root", "staff"}, assay.RoleAdmin, true},
		{[]string{"Grüne Gruppe"}, assay.RoleViewer, true},
	} {
		if r, ok := s.MapRole(c.groups); r != c.want || ok != c.mapped {
			t.Errorf("%q: %q %t, want %q %t", c.groups, r, ok, c.want, c.mapped)
		}
	}
}

func TestSSODomainAllowed(t *testing.T) {
	s := assay.SSOSettings{Protocol: assay.SSOOIDC, Issuer: "https://idp.example", ClientID: "c",
		AllowedDomains: []string{" @Acme.COM ", "acme.com", "sub.acme.com", ""}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.AllowedDomains, ",") != "acme.com,sub.acme.com" {
		t.Fatalf("domains: %q", s.AllowedDomains)
	}
	for email, want := range map[string]bool{"a@acme.com": true, "a@ACME.com": true, "a@sub.acme.com": true, "a@evil-acme.com": false,
		"a@acme.com.evil.test": false, "acme.com": false, "a@x@acme.com": true} {
		if got := s.DomainAllowed(email); got != want {
			t.Errorf("%q: %t, want %t", email, got, want)
		}
	}
	if !(assay.SSOSettings{}).DomainAllowed("x@anything.test") {
		t.Error("no list allows any domain")
	}
	bad := assay.SSOSettings{Protocol: assay.SSOOIDC, Issuer: "https://idp.example", ClientID: "c", AllowedDomains: []string{"not a domain"}}
	if err := bad.Validate(); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad domain: %v", err)
	}
}

func TestParseRoleMap(t *testing.T) {
	m, err := assay.ParseRoleMap("\ufeffAssay Admins = admin\r\n\r\n  auditors=auditor \r\nÉquipe = member\n")
	if err != nil || len(m) != 3 || m["Assay Admins"] != assay.RoleAdmin || m["auditors"] != assay.RoleAuditor || m["Équipe"] != assay.RoleMember {
		t.Fatalf("%v %v", m, err)
	}
	if back, err := assay.ParseRoleMap(assay.FormatRoleMap(m)); err != nil || len(back) != 3 || back["Équipe"] != assay.RoleMember {
		t.Fatalf("round trip: %v %v", back, err)
	}
	for _, bad := range []string{"admins", "= admin", "g = owner", "ok = admin\nbad"} {
		if _, err := assay.ParseRoleMap(bad); assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := assay.ParseRoleMap("ok = admin\nbad"); !strings.Contains(assay.ErrorMessage(err), "Line 2") {
		t.Errorf("the error names no line: %v", err)
	}
}

func TestSSOSettingsValidate(t *testing.T) {
	s := assay.SSOSettings{Protocol: assay.SSOOIDC, Issuer: " https://idp.example/ ", ClientID: "c", Scopes: []string{"email", "groups"}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Issuer != "https://idp.example" || strings.Join(s.Scopes, " ") != "openid email groups" || s.DefaultRole != assay.RoleViewer ||
		s.ProviderName != "single sign-on" {
		t.Fatalf("tidied: %+v", s)
	}
	for name, bad := range map[string]assay.SSOSettings{
		"no client id":       {Protocol: assay.SSOOIDC, Issuer: "https://idp.example"},
		"issuer not http":    {Protocol: assay.SSOOIDC, Issuer: "javascript:alert(1)", ClientID: "c"},
		"saml without idp":   {Protocol: assay.SSOSAML},
		"metadata url ftp":   {Protocol: assay.SSOSAML, SAMLMetadataURL: "ftp://idp.example/md"},
		"too much metadata":  {Protocol: assay.SSOSAML, SAMLMetadataXML: strings.Repeat("x", assay.MaxSAMLMetadata+1)},
		"sso only while off": {SSOOnly: true, BreakGlassUserID: 1},
		"unknown protocol":   {Protocol: "cas"},
		"bad default role":   {DefaultRole: "owner"},
		"empty group":        {RoleMap: map[string]assay.Role{" ": assay.RoleAdmin}},
	} {
		if err := bad.Validate(); assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}
