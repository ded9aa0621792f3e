package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/store"
)

func TestCLICustomChecksSQLite(t *testing.T) {
	t.Parallel()
	testCLICustomChecks(t, migratedDataDir(t), "")
}

func TestCLICustomChecksPostgres(t *testing.T) {
	t.Parallel()
	url := freshPostgres(t)
	testCLICustomChecks(t, t.TempDir(), url)
}

// testCLICustomChecks drives `assay check add|update|delete` on a real
// database: the expression is compiled before anything is saved, library
// checks are refused, and a deleted check's open finding closes.
func testCLICustomChecks(t *testing.T, data, dbURL string) {
	base := []string{"--data", data}
	if dbURL != "" {
		base = append(base, "--db", dbURL)
	}
	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "", append(slices.Clone(base), args...)...)
	}
	if _, err := runCLI(t, "a long passphrase\n", append(slices.Clone(base), "user", "create", "--admin", "--email", "root@example.com",
		"--name", "Root", "--org-name", "Example Inc", "--password-stdin")...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// withOrg opens the database the commands used.
	withOrg := func(fn func(os store.OrgStore)) {
		t.Helper()
		m := NewMain(Config{Clock: clocktest.Clock(), DataDir: data, DBURL: dbURL})
		if err := m.OpenStore(ctx); err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		org, err := firstOrg(ctx, m.Store, "")
		if err != nil {
			t.Fatal(err)
		}
		fn(m.Store.Org(org.ID))
	}
	custom := func() map[string]assay.Check {
		t.Helper()
		out := map[string]assay.Check{}
		withOrg(func(os store.OrgStore) {
			list, err := os.CustomChecks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range list {
				out[c.ID] = c
			}
		})
		return out
	}

	add := []string{"check", "add", "--id", "unowned-bucket", "--title", "Buckets have an owner", "--kind", "terraform.aws_s3_bucket",
		"--expr", "has(r.tags) &&", "--reason", "{{.Name}} has no owner tag", "--control", "DAT-01,CRY-01"}
	out, err := cli(add...)
	if err == nil || !strings.Contains(err.Error(), "expr: line 1, column") {
		t.Fatalf("bad expression: %v\n%s", err, out)
	}
	if n := len(custom()); n != 0 {
		t.Fatalf("a bad check was saved (%d custom checks)", n)
	}
	add[9] = "has(r.tags) && 'owner' in r.tags"
	if out, err = cli(add...); err != nil || !strings.Contains(out, "Custom check custom-unowned-bucket added") {
		t.Fatalf("add: %v\n%s", err, out)
	}
	if _, err = cli(add...); err == nil || !strings.Contains(err.Error(), "already") {
		t.Fatalf("add twice: %v", err)
	}
	if _, err = cli("check", "add", "--id", "x", "--title", "X", "--kind", "k", "--expr", "true", "--reason", "r", "--control", "ZZ-99"); err == nil ||
		!strings.Contains(err.Error(), "controls:") {
		t.Fatalf("unknown control: %v", err)
	}

	// From a file, a flag winning over the file.
	file := filepath.Join(t.TempDir(), "check.json")
	if err := os.WriteFile(file, []byte(`{"id":"custom-no-public-acl","title":"Buckets are private","kind":"terraform.aws_s3_bucket",
		"expr":"false","severity":"low","reason":"{{.Name}} is checked by a test","controls":["DAT-01"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = cli("check", "add", "--file", file, "--severity", "high", "--json")
	var saved assay.Check
	if err != nil || json.Unmarshal([]byte(out), &saved) != nil || saved.ID != "custom-no-public-acl" || saved.Severity != assay.SeverityHigh || !saved.Custom {
		t.Fatalf("add --file: %v\n%s", err, out)
	}

	// update: given fields replace, the rest stays.
	if out, err = cli("check", "update", "custom-unowned-bucket", "--severity", "critical", "--control", "CRY-01"); err != nil ||
		!strings.Contains(out, "Custom check custom-unowned-bucket updated") {
		t.Fatalf("update: %v\n%s", err, out)
	}
	c := custom()["custom-unowned-bucket"]
	if c.Severity != assay.SeverityCritical || !slices.Equal(c.Controls, []string{"CRY-01"}) || c.Expr != "has(r.tags) && 'owner' in r.tags" || c.Title != "Buckets have an owner" {
		t.Fatalf("after update: %+v", c)
	}
	if _, err = cli("check", "update", "custom-unowned-bucket", "--expr", "r.tags.owner =="); err == nil || !strings.Contains(err.Error(), "expr: line 1, column") {
		t.Fatalf("update with a bad expression: %v", err)
	}
	if got := custom()["custom-unowned-bucket"]; got.Expr != c.Expr {
		t.Fatalf("a refused update was saved: %+v", got)
	}
	for _, args := range [][]string{
		{"check", "update", "http-hsts-enabled", "--severity", "low"},
		{"check", "delete", "http-hsts-enabled"},
	} {
		if _, err = cli(args...); err == nil || !strings.Contains(err.Error(), "library") {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if _, err = cli("check", "update", "custom-nope", "--severity", "low"); err == nil || !strings.Contains(err.Error(), `no check "custom-nope"`) {
		t.Fatalf("update unknown: %v", err)
	}
	if out, err = cli("check", "list", "--json"); err != nil || !strings.Contains(out, `"id": "custom-no-public-acl"`) {
		t.Fatalf("check list lacks the custom check: %v", err)
	}

	// custom-no-public-acl fails on every bucket of the plan: a finding opens.
	plan := filepath.Join("..", "..", "monitor", "collect", "terraform", "testdata", "plan.json")
	if out, err = cli("import", "terraform", plan, "--source", "Prod infra"); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	openOf := func(id string) int {
		t.Helper()
		n := 0
		withOrg(func(os store.OrgStore) {
			list, err := os.Findings(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range list {
				if f.CheckID == id {
					n++
				}
			}
		})
		return n
	}
	if n := openOf("custom-no-public-acl"); n != 1 {
		t.Fatalf("open findings of the failing custom check = %d", n)
	}
	if out, err = cli("check", "delete", "custom-no-public-acl"); err != nil || !strings.Contains(out, "Custom check custom-no-public-acl deleted") ||
		!strings.Contains(out, "1 open finding(s) closed") {
		t.Fatalf("delete: %v\n%s", err, out)
	}
	if n := openOf("custom-no-public-acl"); n != 0 {
		t.Fatalf("the deleted check's finding is still open")
	}
	if _, ok := custom()["custom-no-public-acl"]; ok {
		t.Fatal("the check is still stored")
	}
	withOrg(func(os store.OrgStore) {
		acts, err := os.Activity(ctx, assay.ActivityFilter{ObjectType: "monitor_check", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, a := range acts {
			if a.Actor.Via == "cli" {
				actions = append(actions, a.Action)
			}
		}
		slices.Sort(actions)
		if got := strings.Join(actions, " "); got != "monitor.check.create monitor.check.create monitor.check.delete monitor.check.update" {
			t.Fatalf("audit trail of the CLI's changes: %s", got)
		}
	})
	if _, err = cli("check", "delete", "custom-no-public-acl"); err == nil || !strings.Contains(err.Error(), "no check") {
		t.Fatalf("delete twice: %v", err)
	}
	// The import runs again without the deleted check: no finding reopens.
	if out, err = cli("check", "run", "--source", "Prod infra"); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if n := openOf("custom-no-public-acl"); n != 0 {
		t.Fatalf("a run reopened the deleted check's finding")
	}
}
