package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

// `assay evidence add --as EMAIL` is held to the same checks as the web: a
// member adds evidence only to the controls they own, refused with the
// web's message, and nothing is stored.
func TestCLIEvidenceAddAsMemberIsHeldToTheWebsChecks(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	data := e.data
	e.root()
	e.user("member", "sam@example.com", "Sam")
	e.user("viewer", "vic@example.com", "Vic")
	// Sam owns ACC-01 and nothing else.
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: data})
	if err := m.OpenStore(context.Background()); err != nil {
		t.Fatal(err)
	}
	orgs, _ := m.Store.Organizations(context.Background())
	sam, _, err := m.Store.UserByEmail(context.Background(), "sam@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.Org(orgs[0].ID).UpdateControl(context.Background(), assay.SystemActor, "ACC-01", assay.ControlPatch{OwnerID: &sam.ID}); err != nil {
		t.Fatal(err)
	}
	m.Close()

	file := filepath.Join(t.TempDir(), "review.csv")
	if err := os.WriteFile(file, []byte("user,decision\nsam,keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := e.cli("evidence", "add", "--control", "ACC-02", "--file", file, "--as", "sam@example.com")
	if err == nil || !strings.Contains(err.Error()+out, "Members add evidence only to the controls they own; ACC-02 is owned by") {
		t.Fatalf("a member adds evidence to a control they do not own: %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "blobs", "sha256")); len(entries) != 0 {
		t.Fatalf("the refused file was stored: %v", entries)
	}
	out, err = e.cli("evidence", "add", "--control", "ACC-01", "--note", "Checked.", "--title", "Spot check", "--as", "vic@example.com")
	if err == nil || !strings.Contains(err.Error()+out, "Your role (viewer) does not allow adding evidence.") {
		t.Fatalf("a viewer adds evidence: %v\n%s", err, out)
	}
	out, err = e.cli("evidence", "add", "--control", "ACC-01", "--note", "Checked.", "--title", "Spot check", "--as", "nobody@example.com")
	if err == nil || !strings.Contains(err.Error()+out, "--as nobody@example.com: no such user") {
		t.Fatalf("an unknown --as: %v\n%s", err, out)
	}
	out, err = e.cli("evidence", "list", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Fatalf("refused adds stored evidence: %v\n%s", err, out)
	}

	// Their own control: added, recorded as theirs.
	out, err = e.cli("evidence", "add", "--control", "ACC-01", "--file", file, "--as", "sam@example.com")
	if err != nil || !strings.Contains(out, "Added file evidence 1") || !strings.Contains(out, "to ACC-01") {
		t.Fatalf("a member adds evidence to their control: %v\n%s", err, out)
	}
	out, err = e.cli("evidence", "list", "--json")
	if err != nil || !strings.Contains(out, `"created_by_name": "Sam"`) {
		t.Fatalf("list: %v\n%s", err, out)
	}
}
