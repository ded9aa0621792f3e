package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

// runCLI runs the assay command with args and returns what it printed.
func runCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	if os.Getenv(clocktest.EnvVar) != "" { // the command runs at the test's date
		args = append([]string{"--now", clocktest.Now().Format(time.RFC3339Nano)}, args...)
	}
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestCLICatalogJSON(t *testing.T) {
	t.Parallel()
	out, err := runCLI(t, "", "catalog", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Criteria []struct{ ID, Category, Series, Title string } `json:"criteria"`
		Controls []struct {
			ID, Name string
			Criteria []string
		} `json:"controls"`
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatalf("catalog --json is not JSON: %v", err)
	}
	if len(cat.Criteria) != 61 || len(cat.Controls) < 100 {
		t.Fatalf("%d criteria, %d controls", len(cat.Criteria), len(cat.Controls))
	}
	if c := cat.Criteria[0]; c.ID != "CC1.1" || c.Category != "security" || c.Series != "CC1" || c.Title == "" {
		t.Fatalf("first criterion: %+v", c)
	}
	if c := cat.Controls[0]; c.ID == "" || c.Name == "" || len(c.Criteria) == 0 {
		t.Fatalf("first control: %+v", c)
	}
}

func TestCLIUserCreateAndReadiness(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	out, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "Root@Example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	if err != nil || !strings.Contains(out, "Created organisation") || !strings.Contains(out, "root@example.com") {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "short\n", "--data", data, "user", "create", "--email", "x@example.com", "--password-stdin"); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Fatalf("short password: %v", err)
	}
	out, err = runCLI(t, "", "--data", data, "readiness", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rd assay.Readiness
	if err := json.Unmarshal([]byte(out), &rd); err != nil {
		t.Fatalf("readiness --json: %v\n%s", err, out)
	}
	if rd.Overall.Total != 33 || len(rd.Gaps) != 33 || rd.Gaps[0].Missing[0].OwnerRole == "" {
		t.Fatalf("readiness: %+v", rd.Overall)
	}
	out, err = runCLI(t, "", "--data", data, "readiness")
	if err != nil || !strings.Contains(out, "Example Inc: 0% ready (0 of 33") || !strings.Contains(out, "CC1.1") {
		t.Fatalf("readiness text: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "token", "create", "--email", "root@example.com", "--name", "ci")
	if err != nil || !strings.HasPrefix(out, "assay_pat_") {
		t.Fatalf("token create: %v %q", err, out)
	}
	out, err = runCLI(t, "another long passphrase\n", "--data", data, "user", "password", "--email", "root@example.com", "--password-stdin")
	if err != nil || !strings.Contains(out, "Password set") {
		t.Fatalf("user password: %v %q", err, out)
	}
	if _, err := runCLI(t, "x\n", "--data", data, "user", "password", "--email", "nobody@example.com", "--password-stdin"); err == nil {
		t.Fatal("a short password for an unknown user was accepted")
	}
	out, err = runCLI(t, "", "--data", data, "migrate")
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v %q", err, out)
	}
	out, _ = runCLI(t, "", "version")
	if !strings.HasPrefix(out, "assay ") {
		t.Fatalf("version: %q", out)
	}
	if _, err := runCLI(t, "", "--db", "mysql://x", "readiness"); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("unknown database URL: %v", err)
	}
}

func TestDemoSeedsAPopulatedOrganisation(t *testing.T) {
	t.Parallel()
	m := startMainSeeding(t)
	if !strings.Contains(m.out.String(), demoEmail) || !strings.Contains(m.out.String(), demoPassword) {
		t.Fatalf("demo credentials not printed:\n%s", m.out)
	}
	orgs, _ := m.Store.Organizations(context.Background())
	if len(orgs) != 1 || len(orgs[0].Scope.Categories) != 3 || orgs[0].System.Services == "" {
		t.Fatalf("demo organisation: %+v", orgs)
	}
	controls, _ := m.Store.Org(orgs[0].ID).Controls(context.Background(), assay.ControlFilter{})
	by := map[assay.ControlStatus]int{}
	notes := 0
	for _, c := range controls {
		by[c.Status]++
		if c.Notes != "" {
			notes++
		}
	}
	for _, s := range assay.ControlStatuses {
		if by[s] == 0 {
			t.Errorf("demo has no %s control: %v", s, by)
		}
	}
	if notes < 20 {
		t.Errorf("demo has %d controls with notes", notes)
	}
	// Every demo login has a salt of its own: no two hashes are equal.
	users, _ := m.Store.Org(orgs[0].ID).Users(context.Background())
	seen := map[string]string{}
	for _, u := range users {
		_, hash, err := m.Store.UserByEmail(context.Background(), u.Email)
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := seen[hash]; ok {
			t.Errorf("demo users %s and %s share one password hash (one salt)", other, u.Email)
		}
		seen[hash] = u.Email
	}
	if len(seen) < 3 {
		t.Errorf("only %d demo logins", len(seen))
	}
	// Seeding again leaves it alone.
	if creds, err := SeedDemo(context.Background(), m.Store, m.Catalog, fastParams, m.Blobs, assay.SystemClock{}); err != nil || creds != nil {
		t.Fatalf("second seed: %v %v", creds, err)
	}
}
