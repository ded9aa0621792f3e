package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLITokenScopeAndExpiry: token create takes --scope and --expires;
// the default is 90 days, never only for an admin's token.
func TestCLITokenScopeAndExpiry(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t).at("2026-03-02T09:00:00Z")
	e.root()
	e.user("member", "mo@example.com", "Mo")
	var got struct {
		Secret string `json:"secret"`
		Token  struct {
			Scope     string `json:"scope"`
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	out := e.must("token", "create", "--email", "mo@example.com", "--name", "dash", "--scope", "read-only", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || !strings.HasPrefix(got.Secret, "assay_pat_") || got.Token.Scope != "read_only" ||
		got.Token.ExpiresAt != "2026-05-31T09:00:00Z" {
		t.Fatalf("default expiry, read-only: %v %+v\n%s", err, got, out)
	}
	out = e.must("token", "create", "--email", "mo@example.com", "--name", "ci", "--expires", "2026-12-31", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Token.Scope != "read_write" || got.Token.ExpiresAt != "2026-12-31T23:59:59Z" {
		t.Fatalf("dated expiry: %v %+v", err, got)
	}
	e.refused("Only admins", "token", "create", "--email", "mo@example.com", "--name", "forever", "--expires", "never")
	e.refused("at most a year", "token", "create", "--email", "mo@example.com", "--name", "long", "--expires", "400")
	e.refused("Unknown token scope", "token", "create", "--email", "mo@example.com", "--name", "x", "--scope", "admin")
	e.must("token", "create", "--email", "root@example.com", "--name", "break-glass", "--expires", "never")
	list := e.must("token", "list", "--json")
	if !strings.Contains(list, `"scope": "read_only"`) && !strings.Contains(list, `"scope":"read_only"`) {
		t.Fatalf("token list without scope:\n%s", list)
	}
}

// TestCLISCIM: the SCIM token is printed once on standard output; show
// names only its prefix; map sets a group's role.
func TestCLISCIM(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.root()
	out, errOut, err := runCLISplit(t, "", "--data", e.data, "scim", "token")
	if err != nil || !strings.HasPrefix(out, "assay_scim_") || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "only this once") {
		t.Fatalf("scim token: %v %q %q", err, out, errOut)
	}
	secret := strings.TrimSpace(out)
	e.must("scim", "map", "Assay Admins", "admin")
	e.refused("Unknown role", "scim", "map", "Owners", "owner")
	show := e.must("scim", "show", "--json")
	var s struct {
		Token struct {
			Prefix string `json:"prefix"`
		} `json:"token"`
		GroupRoles []struct {
			DisplayName string `json:"display_name"`
			Role        string `json:"role"`
		} `json:"group_roles"`
	}
	if err := json.Unmarshal([]byte(show), &s); err != nil || !strings.HasPrefix(secret, s.Token.Prefix) || len(s.Token.Prefix) < 12 ||
		strings.Contains(show, secret) || len(s.GroupRoles) != 1 || s.GroupRoles[0].Role != "admin" {
		t.Fatalf("scim show: %v %+v\n%s", err, s, show)
	}
	e.user("member", "mo@example.com", "Mo")
	e.refused("Only admins", "scim", "token", "--as", "mo@example.com")
}
