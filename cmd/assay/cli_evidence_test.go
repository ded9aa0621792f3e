package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

func TestCLIEvidenceAddAndList(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if _, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "q1-review.csv")
	content := "user,decision\nsam,keep\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "", "--data", data, "evidence", "add", "--control", "ACC-01,ACC-02", "--file", file, "--valid-days", "92",
		"--period-start", "2026-01-01", "--period-end", "2026-03-31", "--as", "root@example.com", "--json")
	if err != nil {
		t.Fatalf("add a file: %v\n%s", err, out)
	}
	var ev assay.Evidence
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("add --json: %v\n%s", err, out)
	}
	if ev.SHA256 != sha([]byte(content)) || ev.Filename != "q1-review.csv" || ev.CreatedByName != "Root" || ev.ValidDays != 92 ||
		ev.ExpiresAt.Format("2006-01-02") != "2026-07-01" || strings.Join(ev.Controls, ",") != "ACC-01,ACC-02" {
		t.Fatalf("added = %+v", ev)
	}
	if _, err := os.Stat(filepath.Join(data, "blobs", "sha256", ev.SHA256[:2], ev.SHA256)); err != nil {
		t.Fatalf("the file is not in the blob store: %v", err)
	}
	out, err = runCLI(t, "", "--data", data, "evidence", "add", "--control", "ACC-03", "--url", "https://wiki.example/runbook", "--title", "Runbook")
	if err != nil || !strings.Contains(out, `Added link evidence 2 "Runbook" to ACC-03`) {
		t.Fatalf("add a link: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "evidence", "add", "--control", "ACC-03", "--note", "Checked by hand.", "--title", "Spot check")
	if err != nil || !strings.Contains(out, "Added note evidence 3") {
		t.Fatalf("add a note: %v\n%s", err, out)
	}
	// Bad input: a clear error, nothing stored.
	for _, args := range [][]string{
		{"--control", "NOPE-1", "--note", "x", "--title", "x"},
		{"--control", "ACC-01", "--note", "x", "--url", "https://x.example", "--title", "x"},
		{"--control", "ACC-01", "--file", t.TempDir()},
		{"--control", "ACC-01", "--note", "x", "--title", "x", "--period-end", "31/03/2026"},
		{"--note", "x", "--title", "x"},
	} {
		if out, err := runCLI(t, "", append([]string{"--data", data, "evidence", "add"}, args...)...); err == nil {
			t.Errorf("evidence add %v succeeded:\n%s", args, out)
		}
	}
	out, err = runCLI(t, "", "--data", data, "evidence", "list")
	if err != nil || strings.Count(out, "\n") != 4 || !strings.Contains(out, "COUNTS UNTIL") || !strings.Contains(out, "Spot check") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "evidence", "list", "--control", "ACC-03", "--json")
	var items []struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if err != nil || json.Unmarshal([]byte(out), &items) != nil || len(items) != 2 || items[0].State != "current" {
		t.Fatalf("list --control --json: %v\n%s", err, out)
	}
	// Readiness through the CLI uses the same rule as the API: an
	// implemented control needs current evidence.
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: data})
	if err := m.OpenStore(context.Background()); err != nil {
		t.Fatal(err)
	}
	orgs, _ := m.Store.Organizations(context.Background())
	impl := assay.StatusImplemented
	for _, id := range []string{"ACC-03", "ACC-04"} {
		if _, err := m.Store.Org(orgs[0].ID).UpdateControl(context.Background(), assay.SystemActor, id, assay.ControlPatch{Status: &impl}); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	out, err = runCLI(t, "", "--data", data, "readiness", "--json")
	var rd assay.Readiness
	if err != nil || json.Unmarshal([]byte(out), &rd) != nil {
		t.Fatalf("readiness: %v\n%s", err, out)
	}
	reasons := map[string]string{}
	for _, g := range rd.Gaps {
		for _, c := range g.Missing {
			reasons[c.ID] = c.Reason
		}
	}
	if reasons["ACC-04"] != "no current evidence" || strings.Contains(reasons["ACC-03"], "evidence") {
		t.Fatalf("readiness reasons: ACC-03 %q, ACC-04 %q", reasons["ACC-03"], reasons["ACC-04"])
	}
	out, err = runCLI(t, "", "--data", data, "readiness")
	if err != nil || !strings.Contains(out, "ACC-04") || !strings.Contains(out, "[no current evidence]") {
		t.Fatalf("readiness text: %v\n%s", err, out)
	}
}

// TestDemoHasEvidence: most implemented demo controls have current
// evidence, some expiring soon, a couple expired, a few files stored as
// blobs, a correction and two requests.
func TestDemoHasEvidence(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := context.Background()
	orgs, _ := m.Store.Organizations(ctx)
	o := m.Store.Org(orgs[0].ID)
	now := m.Config.Clock.Now()
	items, err := o.EvidenceList(ctx, assay.EvidenceFilter{State: "all"})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	kinds := map[assay.EvidenceKind]int{}
	for _, e := range items {
		states[e.State(now)]++
		kinds[e.Kind]++
		if e.Kind == assay.EvidenceFile {
			if _, err := m.Blobs.Verify(e.SHA256); err != nil {
				t.Errorf("demo file %d: %v", e.ID, err)
			}
		}
	}
	implemented, _ := o.Controls(ctx, assay.ControlFilter{Status: assay.StatusImplemented})
	covered, _ := o.EvidenceByControl(ctx)
	if states[assay.EvidenceCurrent] < len(implemented)/2 || states[assay.EvidenceExpiring] < 3 || states[assay.EvidenceExpired] < 2 ||
		states[assay.EvidenceSuperseded] != 1 || kinds[assay.EvidenceFile] < 3 || kinds[assay.EvidenceLink] == 0 || kinds[assay.EvidenceNote] == 0 ||
		len(covered) >= len(implemented) {
		t.Fatalf("demo evidence: %d implemented controls, %d with evidence; states %v, kinds %v", len(implemented), len(covered), states, kinds)
	}
	all, _ := o.EvidenceRequests(ctx, assay.EvidenceRequestFilter{})
	var reqs []assay.EvidenceRequest // the org-wide auditor's; the engagement's are checked in demo_audit_test.go
	for _, r := range all {
		if r.RequestedByName == "Morgan Lee" {
			reqs = append(reqs, r)
		}
	}
	if len(reqs) != 2 || reqs[0].Status != assay.RequestOpen || reqs[1].Status != assay.RequestAccepted || len(reqs[1].Evidence) != 1 {
		t.Fatalf("demo requests: %+v", reqs)
	}
	t.Logf("demo: %d implemented controls, %d with evidence; %v; %v", len(implemented), len(covered), states, kinds)
}
