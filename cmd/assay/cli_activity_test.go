package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestCLIActivity: the audit trail from the command line, for the roles
// that read it on the web; the operator's changes are recorded under the
// command they ran.
func TestCLIActivity(t *testing.T) {
	t.Parallel()
	data := migratedDataDir(t) // data_template_test.go
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
	must("user", "create", "--role", "auditor", "--email", "au@example.com", "--name", "Au", "--password-stdin")
	must("user", "create", "--role", "viewer", "--email", "vi@example.com", "--name", "Vi", "--password-stdin")
	must("control", "update", "ACC-01", "--status", "in_progress")
	must("control", "update", "ACC-02", "--as", "root@example.com", "--notes", "Quarterly")

	var doc struct {
		Activity []assay.Activity `json:"activity"`
	}
	if err := json.Unmarshal([]byte(must("activity", "--as", "au@example.com", "--limit", "2", "--json")), &doc); err != nil || len(doc.Activity) != 2 {
		t.Fatalf("activity --json: %v %+v", err, doc)
	}
	if a := doc.Activity[0]; a.ObjectID != "ACC-02" || a.Actor.Name != "Root" || a.Actor.Via != "cli" {
		t.Fatalf("newest entry: %+v", a)
	}
	if a := doc.Activity[1]; a.ObjectID != "ACC-01" || a.Actor.Name != "assay control update" {
		t.Fatalf("the operator's entry: %+v", a)
	}
	if out := must("activity", "--type", "control", "--object", "ACC-01"); !strings.Contains(out, "control.update") || strings.Contains(out, "ACC-02") {
		t.Fatalf("activity --type --object:\n%s", out)
	}
	if out := must("activity", "--actor", "ROOT", "--action", "control."); !strings.Contains(out, "ACC-02") || strings.Contains(out, "ACC-01") {
		t.Fatalf("activity --actor --action:\n%s", out)
	}
	if out := must("activity", "--q", "acc-01", "--from", "2000-01-01"); !strings.Contains(out, "ACC-01") || strings.Contains(out, "ACC-02") {
		t.Fatalf("activity --q --from:\n%s", out)
	}
	if out := must("activity", "--to", "2000-01-01"); !strings.Contains(out, "No activity.") {
		t.Fatalf("activity --to in the past:\n%s", out)
	}
	if _, err := cli("activity", "--from", "31/12/2026"); err == nil || !strings.Contains(err.Error(), "date") {
		t.Fatalf("--from in another format: %v", err)
	}
	if _, err := cli("activity", "--as", "vi@example.com"); err == nil || !strings.Contains(err.Error(), "viewer") {
		t.Fatalf("a viewer read the trail: %v", err)
	}
	if _, err := cli("activity", "--limit", "0"); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("--limit 0: %v", err)
	}
}
