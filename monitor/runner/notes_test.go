package runner

import (
	"slices"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// What a collector notes reaches the run, is kept with it, and comes back
// on every later run of the same document; a run that fails has none.
func TestRunNotes(t *testing.T) { eachStore(t, testRunNotes) }

func testRunNotes(t *testing.T, e *env) {
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "azure", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc := []byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[
	  {"address":"azurerm_resource_group.main","mode":"managed","type":"azurerm_resource_group","name":"main","values":{"name":"rg"}},
	  {"address":"azurerm_virtual_network.main","mode":"managed","type":"azurerm_virtual_network","name":"main","values":{"name":"vnet"}}]}},
	  "resource_changes":[]}`)
	want := []string{"The plan holds 2 resources, none of a type Assay judges (azurerm_resource_group, azurerm_virtual_network)."}
	run, err := e.runner.Import(e.ctx, e.org, src.ID, doc)
	if err != nil || run.Status != assay.RunOK || !slices.Equal(run.Notes, want) {
		t.Fatalf("import: %+v %v", run, err)
	}
	again, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || !slices.Equal(again.Notes, want) {
		t.Fatalf("run again: %+v %v", again, err)
	}
	runs, err := e.org.Runs(e.ctx, src.ID, 0)
	if err != nil || len(runs) != 2 || !slices.Equal(runs[0].Notes, want) || !slices.Equal(runs[1].Notes, want) {
		t.Fatalf("stored runs: %+v %v", runs, err)
	}
	list, err := e.org.Activity(e.ctx, assay.ActivityFilter{ObjectType: "monitor_run", Limit: 10})
	if err != nil || len(list) == 0 || !strings.Contains(string(list[0].After), "none of a type Assay judges") {
		t.Fatalf("the run's activity entry lacks its notes: %+v %v", list, err)
	}
}
