package runner

import (
	"os"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// activityCount counts the organisation's activity entries by action.
func (e *env) activityCount() map[string]int {
	e.t.Helper()
	list, err := e.org.Activity(e.ctx, assay.ActivityFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for _, a := range list {
		out[a.Action]++
	}
	return out
}

// A file source that has never had a document (made on the web or through
// the API before its first upload, or whose first upload failed) waits for
// one: the scheduler passes it by, so it records nothing and readiness sees
// no check that "could not run".
func TestWaitingSource(t *testing.T) { eachStore(t, testWaitingSource) }

func testWaitingSource(t *testing.T, e *env) {
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "infra", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first upload fails: the error is the caller's to show, the
	// source is as it was.
	_, err = e.runner.Import(e.ctx, e.org, src.ID, []byte(`{"format_version": "1.0", "values": {"root_module": [}}`))
	if assay.ErrorCode(err) != assay.EINVALID || !strings.Contains(assay.ErrorMessage(err), "line 1, column") {
		t.Fatalf("bad first document: %v", err)
	}
	before := e.activityCount()
	sched := &Scheduler{Runner: e.runner}
	if n := sched.Tick(e.ctx); n != 0 {
		t.Fatalf("the scheduler ran %d sources; the waiting one has nothing to run", n)
	}
	if runs, _ := e.org.Runs(e.ctx, src.ID, 0); len(runs) != 0 {
		t.Fatalf("a waiting source recorded runs: %+v", runs)
	}
	if res, _ := e.org.CurrentResults(e.ctx, assay.ResultFilter{SourceID: src.ID}); len(res) != 0 {
		t.Fatalf("a waiting source has results: %+v", res)
	}
	if after := e.activityCount(); after["monitor.run"] != before["monitor.run"] {
		t.Fatalf("activity changed: %v -> %v", before, after)
	}
	s, _ := e.org.Source(e.ctx, src.ID)
	if !s.Enabled || s.InputHash != "" || s.LastStatus != "" {
		t.Fatalf("the waiting source changed: %+v", s)
	}

	// Once a document arrives it runs at once, and on schedule from then on.
	doc, err := os.ReadFile("../collect/terraform/testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	if run, err := e.runner.Import(e.ctx, e.org, src.ID, doc); err != nil || run.Status != assay.RunOK {
		t.Fatalf("import: %+v %v", run, err)
	}
	e.clock.Advance(25 * 60 * 60 * 1e9)
	if n := sched.Tick(e.ctx); n != 1 {
		t.Fatalf("the scheduler ran %d sources after the import", n)
	}
}

// CreateAndImport (`assay import KIND FILE` for a source it does not
// find) leaves nothing behind when the first import fails.
func TestCreateAndImport(t *testing.T) { eachStore(t, testCreateAndImport) }

func testCreateAndImport(t *testing.T, e *env) {
	doc, err := os.ReadFile("../collect/terraform/testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	tf := assay.Source{Name: "terraform import", Kind: "terraform", Settings: map[string]string{}, Enabled: true}

	// An unreadable document creates no source and writes no activity.
	before := e.activityCount()
	_, _, err = e.svc.CreateAndImport(e.ctx, e.org, assay.SystemActor, tf, []byte("{not json"))
	if assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad document: %v", err)
	}
	if msg := assay.ErrorMessage(err); strings.Contains(msg, "assay error") || strings.Contains(msg, "code=") ||
		!strings.HasPrefix(msg, "The terraform document could not be read: invalid JSON at line 1, column ") {
		t.Fatalf("message: %q", msg)
	}
	if list, _ := e.org.Sources(e.ctx); len(list) != 0 {
		t.Fatalf("a failed first import left sources: %+v", list)
	}
	if after := e.activityCount(); len(after) != len(before) || after["monitor.source.create"] != 0 {
		t.Fatalf("a failed first import wrote activity: %v", after)
	}
	// A live kind, a bad name: refused before anything is read or stored.
	for _, bad := range []assay.Source{{Name: "x", Kind: "http"}, {Name: " ", Kind: "terraform"}} {
		if _, _, err := e.svc.CreateAndImport(e.ctx, e.org, assay.SystemActor, bad, doc); assay.ErrorCode(err) != assay.EINVALID {
			t.Fatalf("%+v: %v", bad, err)
		}
	}

	// A run that cannot be recorded takes the new source away again.
	// The run cannot be evaluated (no check list), so it is not recorded.
	failing := &Runner{Store: e.db, Blobs: e.runner.Blobs, Box: e.runner.Box, Clock: e.clock, Timeout: e.runner.Timeout}
	if _, _, err := (Service{failing}).CreateAndImport(e.ctx, e.org, assay.SystemActor, tf, doc); err == nil {
		t.Fatal("an import whose run cannot be recorded succeeded")
	}
	if list, _ := e.org.Sources(e.ctx); len(list) != 0 {
		t.Fatalf("the source made for a failed import is still there: %+v", list)
	}

	// A readable document: the source is created and has run.
	src, run, err := e.svc.CreateAndImport(e.ctx, e.org, assay.SystemActor, tf, doc)
	if err != nil || src.ID == 0 || run.Status != assay.RunOK || run.SourceID != src.ID || run.Trigger != assay.TriggerImport {
		t.Fatalf("create and import: %+v %+v %v", src, run, err)
	}
	if s, _ := e.org.Source(e.ctx, src.ID); s.InputHash == "" || !s.Enabled || s.LastStatus != assay.RunOK {
		t.Fatalf("source after the import: %+v", s)
	}
}
