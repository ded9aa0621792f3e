package main

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestAPISSOSettings: admins read and replace the single sign-on settings
// over the API, on both backends; the secret is sealed and never comes
// back; bad input changes nothing; other roles are refused.
func TestAPISSOSettings(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, tok := m.orgWithAdmin(t, "Acme")
		viewer := m.userToken(t, orgID, "vic@acme.example", assay.RoleViewer)
		var got map[string]any
		if code := m.call(t, tok, "GET", "/api/v1/sso", "", &got); code != 200 || got["protocol"] != "" || got["has_client_secret"] != false {
			t.Fatalf("before: %d %v", code, got)
		}
		body := `{"protocol":"oidc","provider_name":"Entra ID","issuer":"https://login.microsoftonline.com/tenant/v2.0",
			"client_id":"app-1","client_secret":"s3cr3t-value","groups_claim":"groups","default_role":"viewer",
			"role_map":{"8d6a-group-id":"admin"},"allowed_domains":["Acme.Example"]}`
		if code := m.call(t, tok, "PUT", "/api/v1/sso", body, &got); code != 200 || got["has_client_secret"] != true ||
			got["provider_name"] != "Entra ID" || got["client_secret"] != nil {
			t.Fatalf("put: %d %v", code, got)
		}
		set, err := m.Store.Org(orgID).SSOSettings(t.Context())
		if err != nil || strings.Contains(string(set.SealedSecret), "s3cr3t-value") || set.AllowedDomains[0] != "acme.example" {
			t.Fatalf("stored: %+v %v", set, err)
		}
		var e struct {
			Error struct{ Code, Field string } `json:"error"`
		}
		for _, bad := range []string{
			`{"protocol":"oidc","issuer":"ftp://x","client_id":"a"}`,
			`{"protocol":"ldap"}`,
			`{"protocol":"saml"}`,
			`{"protocol":"oidc","issuer":"https://x","client_id":"a","role_map":{"g":"root"}}`,
			`{"protocol":"oidc","issuer":"https://x","client_id":"a","sso_only":true}`,
		} {
			if code := m.call(t, tok, "PUT", "/api/v1/sso", bad, &e); code != 400 || e.Error.Code != assay.EINVALID {
				t.Fatalf("%s: %d %+v", bad, code, e)
			}
		}
		if code := m.call(t, viewer, "GET", "/api/v1/sso", "", &e); code != 403 {
			t.Fatalf("a viewer reads the settings: %d", code)
		}
		if after, _ := m.Store.Org(orgID).SSOSettings(t.Context()); after.ProviderName != "Entra ID" || !after.HasSecret {
			t.Fatalf("refused input changed the settings: %+v", after)
		}
	})
}
