package runner

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// An import is one transaction: when its run cannot be recorded, the
// source keeps its document and no activity entry says it changed.
func TestImportWhoseRunFailsLeavesNoTrace(t *testing.T) {
	e := newEnv(t)
	doc, err := os.ReadFile("../collect/terraform/testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "infra", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	entries := func() (inputs, runs int) {
		t.Helper()
		list, err := e.org.Activity(e.ctx, assay.ActivityFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			switch a.Action {
			case "monitor.source.input":
				inputs++
			case "monitor.run":
				runs++
			}
		}
		return inputs, runs
	}

	// The database refuses the run's row, as a full disk would, after
	// the source was pointed at the document in the same transaction.
	raw, err := sql.Open("sqlite", "file:"+e.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER refuse_runs BEFORE INSERT ON monitor_runs BEGIN SELECT RAISE(ABORT, 'no space left'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.runner.Import(e.ctx, e.org, src.ID, doc); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("import whose run cannot be recorded: %v", err)
	}
	if s, err := e.org.Source(e.ctx, src.ID); err != nil || s.InputHash != "" {
		t.Fatalf("the failed import left the source pointing at its document: %q %v", s.InputHash, err)
	}
	if inputs, runs := entries(); inputs != 0 || runs != 0 {
		t.Fatalf("the failed import left %d input and %d run entries", inputs, runs)
	}

	// Once runs can be recorded, the import writes both together.
	if _, err := raw.Exec(`DROP TRIGGER refuse_runs`); err != nil {
		t.Fatal(err)
	}
	run, err := e.runner.Import(e.ctx, e.org, src.ID, doc)
	if err != nil || run.Status != assay.RunOK {
		t.Fatalf("import: %+v %v", run, err)
	}
	if s, _ := e.org.Source(e.ctx, src.ID); s.InputHash == "" {
		t.Fatal("source input not set")
	}
	if inputs, runs := entries(); inputs != 1 || runs != 1 {
		t.Fatalf("the import left %d input and %d run entries", inputs, runs)
	}
}
