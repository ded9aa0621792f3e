package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// nested reports whether a message shows an error's machinery instead of
// its words: the "assay error: code=... message=..." form, nested or not.
func nested(msg string) bool {
	return strings.Contains(msg, "assay error") || strings.Contains(msg, "code=") || strings.Contains(msg, "message=")
}

// A bad document imported from the CLI is refused in plain words, and the
// source `assay import` would have created for it is not left behind.
func TestCLIBadImportSpeaksPlainly(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.root()
	bad := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(bad, []byte("{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\"root_module\": [}\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := e.cli("import", "terraform", bad)
	if err == nil {
		t.Fatalf("a broken plan imported:\n%s", out)
	}
	msg := err.Error()
	if nested(msg) || nested(out) || !strings.Contains(msg, "import plan.json: The terraform document could not be read: invalid JSON at line 3") ||
		!strings.Contains(msg, "no source was created") {
		t.Fatalf("message: %q\n%s", msg, out)
	}
	if list := e.must("source", "list"); strings.Contains(list, "terraform import") {
		t.Fatalf("the failed first import left its source:\n%s", list)
	}
	// An existing source keeps its name in the message, still in plain words.
	good := filepath.Join("..", "..", "monitor", "collect", "terraform", "testdata", "state.json")
	e.must("import", "terraform", good, "--source", "Infra")
	if _, err := e.cli("import", "terraform", bad, "--source", "Infra"); err == nil || nested(err.Error()) ||
		!strings.Contains(err.Error(), "The terraform document could not be read") {
		t.Fatalf("bad import into an existing source: %v", err)
	}
}

// The API answers a bad document with the reason in plain words, and a
// file source created over the API whose first document was refused is
// left as it was: no run, no document.
func TestAPIBadImportSpeaksPlainly(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	_, admin := m.orgWithAdmin(t, "Plain Co")
	var src assay.Source
	if code := m.call(t, admin, "POST", "/api/v1/sources", `{"name":"Infra","kind":"terraform"}`, &src); code != http.StatusCreated {
		t.Fatalf("create source: %d", code)
	}
	var body struct {
		Error struct{ Code, Message, Field string }
	}
	code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/input", src.ID), `{"format_version": "1.2", "planned_values": {"root_module": [}}`, &body)
	if code != http.StatusBadRequest || body.Error.Code != assay.EINVALID || nested(body.Error.Message) ||
		!strings.HasPrefix(body.Error.Message, "The terraform document could not be read: invalid JSON at line 1") {
		t.Fatalf("bad document: %d %+v", code, body)
	}
	var got struct {
		Source assay.Source
		Runs   []assay.MonitorRun
	}
	m.call(t, admin, "GET", fmt.Sprintf("/api/v1/sources/%d", src.ID), "", &got)
	if len(got.Runs) != 0 || got.Source.InputHash != "" || got.Source.LastStatus != "" {
		t.Fatalf("the refused document changed the source: %+v", got)
	}
	// Asked to run anyway, it records an error run that says what to do,
	// in plain words.
	var run assay.MonitorRun
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/run", src.ID), "", &run); code != http.StatusOK || run.Status != assay.RunError ||
		nested(run.Error) || !strings.Contains(run.Error, "no document has been imported") {
		t.Fatalf("run without a document: %d %+v", code, run)
	}
}

// `assay import` prints the run's notes: a plan with nothing Assay judges
// says so instead of passing as "0 resources".
func TestCLIImportPrintsNotes(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t)
	e.root()
	plan := filepath.Join(t.TempDir(), "network.json")
	doc := `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
	  {"address":"google_compute_network.vpc","mode":"managed","type":"google_compute_network","name":"vpc","values":{"name":"vpc"}}]}},"resource_changes":[]}`
	if err := os.WriteFile(plan, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	out := e.must("import", "terraform", plan, "--source", "Network")
	if !strings.Contains(out, "Network: run 1: 0 resources") ||
		!strings.Contains(out, "  Note: The plan holds 1 resource, none of a type Assay judges (google_compute_network).") {
		t.Fatalf("import output:\n%s", out)
	}
}
