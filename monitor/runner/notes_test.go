package runner

import (
	"encoding/json"
	"os"
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

// What the roster and Kubernetes collectors say about a file (which
// export it was read as, what was skipped) reaches the run too.
func TestRosterAndK8sNotes(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ kind, file, want string }{
		{"roster", "../collect/roster/testdata/google-workspace-users.csv", "Read as a Google Workspace user export"},
		{"roster", "../collect/roster/testdata/okta-password-health.csv", "Read as an Okta user report"},
		{"roster", "../collect/roster/testdata/okta.csv", "Read as a roster CSV"},
	} {
		doc, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: c.file, Kind: c.kind, Enabled: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		run, err := e.runner.Import(e.ctx, e.org, src.ID, doc)
		if err != nil || !slices.ContainsFunc(run.Notes, func(n string) bool { return strings.HasPrefix(n, c.want) }) {
			t.Errorf("%s: notes %q, err %v; want one starting %q", c.file, run.Notes, err, c.want)
		}
	}
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "cluster", Kind: "k8s", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	manifests := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n---\n" +
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: 'registry.example/web:1.2'}]\n")
	run, err := e.runner.Import(e.ctx, e.org, src.ID, manifests)
	if err != nil || !slices.ContainsFunc(run.Notes, func(n string) bool { return strings.Contains(n, "ConfigMap 1") }) {
		t.Fatalf("k8s notes %q, err %v", run.Notes, err)
	}
}
