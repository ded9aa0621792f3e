package runner

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// What a collector notes about a document comes back with the run the
// import records and stays in the run's activity entry.
func TestImportNotes(t *testing.T) {
	e := newEnv(t)
	doc, err := os.ReadFile("../collect/prowler/testdata/repeated.json")
	if err != nil {
		t.Fatal(err)
	}
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "aws", Kind: "prowler", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := e.runner.Import(e.ctx, e.org, src.ID, doc)
	if err != nil || run.Status != assay.RunOK {
		t.Fatalf("import: %+v %v", run, err)
	}
	if len(run.Notes) != 2 || !strings.Contains(run.Notes[0], "3 repeated copies were merged") {
		t.Fatalf("notes: %q", run.Notes)
	}
	list, err := e.org.Activity(e.ctx, assay.ActivityFilter{ObjectType: "monitor_run", Limit: 10})
	if err != nil || len(list) != 1 {
		t.Fatalf("activity: %v %v", list, err)
	}
	var after struct {
		Run assay.MonitorRun `json:"run"`
	}
	if err := json.Unmarshal(list[0].After, &after); err != nil || !slices.Equal(after.Run.Notes, run.Notes) {
		t.Fatalf("the run's activity entry lacks the notes: %s %v", list[0].After, err)
	}

	// A scheduled run of the stored document notes the same; a report
	// without repeats notes nothing.
	if run, err = e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual); err != nil || len(run.Notes) != 2 {
		t.Fatalf("run again: %q %v", run.Notes, err)
	}
	clean, _ := os.ReadFile("../collect/prowler/testdata/ocsf.json")
	if run, err = e.runner.Import(e.ctx, e.org, src.ID, clean); err != nil || run.Notes != nil {
		t.Fatalf("a clean report: %q %v", run.Notes, err)
	}
}
