package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIUsers: users listed, changed and disabled, API tokens listed and
// revoked from the command line, through the services the web calls: a
// member is refused user management but sees and revokes their own
// tokens; bad input changes nothing.
func TestCLIUsers(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "a long passphrase\n", append([]string{"--data", data}, args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli(args...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")
	must("user", "create", "--role", "viewer", "--email", "vi@example.com", "--name", "Vi", "--password-stdin")

	var users struct {
		Users []assay.User `json:"users"`
	}
	if err := json.Unmarshal([]byte(must("user", "list", "--json")), &users); err != nil || len(users.Users) != 3 {
		t.Fatalf("user list --json: %v %+v", err, users)
	}
	if out := must("user", "list"); !strings.Contains(out, "mo@example.com") || !strings.Contains(out, "viewer") {
		t.Fatalf("user list:\n%s", out)
	}
	if _, err := cli("user", "list", "--as", "mo@example.com"); err == nil || !strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member listed users: %v", err)
	}
	if _, err := cli("user", "update", "vi@example.com", "--role", "admin", "--as", "mo@example.com"); err == nil {
		t.Fatal("a member promoted a viewer")
	}
	if _, err := cli("user", "update", "vi@example.com", "--role", "overlord"); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	if _, err := cli("user", "update", "vi@example.com"); err == nil || !strings.Contains(err.Error(), "Nothing to change") {
		t.Fatalf("an update without a change: %v", err)
	}
	if out := must("user", "list"); !strings.Contains(out, "viewer") {
		t.Fatalf("the refused updates changed the viewer:\n%s", out)
	}
	if out := must("user", "update", "vi@example.com", "--role", "member", "--as", "root@example.com"); !strings.Contains(out, "is member, active") {
		t.Fatalf("user update --role: %s", out)
	}
	var u assay.User
	if err := json.Unmarshal([]byte(must("user", "update", "vi@example.com", "--disable", "--json")), &u); err != nil || !u.Disabled {
		t.Fatalf("user update --disable: %v %+v", err, u)
	}
	if out := must("user", "update", "vi@example.com", "--enable"); !strings.Contains(out, "active") {
		t.Fatalf("user update --enable: %s", out)
	}

	// Tokens: one for Mo, one for Root.
	must("token", "create", "--email", "mo@example.com", "--name", "mo-ci")
	must("token", "create", "--email", "root@example.com", "--name", "root-ci")
	var tokens struct {
		Tokens []assay.APIToken `json:"tokens"`
		Count  int              `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("token", "list", "--json")), &tokens); err != nil || tokens.Count != 2 {
		t.Fatalf("token list --json: %v %+v", err, tokens)
	}
	if err := json.Unmarshal([]byte(must("token", "list", "--as", "mo@example.com", "--json")), &tokens); err != nil || tokens.Count != 1 || tokens.Tokens[0].Name != "mo-ci" {
		t.Fatalf("Mo's tokens: %v %+v", err, tokens)
	}
	moToken := strconv.FormatInt(tokens.Tokens[0].ID, 10)
	if _, err := cli("token", "list", "--as", "mo@example.com", "--email", "root@example.com"); err == nil {
		t.Fatal("a member listed another user's tokens")
	}
	if err := json.Unmarshal([]byte(must("token", "list", "--email", "root@example.com", "--json")), &tokens); err != nil || tokens.Count != 1 {
		t.Fatalf("Root's tokens: %v %+v", err, tokens)
	}
	rootToken := strconv.FormatInt(tokens.Tokens[0].ID, 10)
	if _, err := cli("token", "revoke", rootToken, "--as", "mo@example.com"); err == nil {
		t.Fatal("a member revoked another user's token")
	}
	if _, err := cli("token", "revoke", "x1"); err == nil {
		t.Fatal("a bad token id was accepted")
	}
	if out := must("token", "revoke", moToken, "--as", "mo@example.com"); !strings.Contains(out, "Revoked") {
		t.Fatalf("token revoke: %s", out)
	}
	if out := must("token", "list"); strings.Contains(out, "mo-ci") || !strings.Contains(out, "root-ci") {
		t.Fatalf("tokens after revoking Mo's:\n%s", out)
	}
}
