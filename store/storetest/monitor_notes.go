package storetest

import (
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// testMonitorRunNotes: a run's notes are kept with it, in order, and come
// back from Run and Runs; a run with notes that are not one line each is
// refused and stores nothing.
func testMonitorRunNotes(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	src := e.newSource(o, "web")
	now := e.Clock.Now()
	run := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now.Add(time.Second), Status: assay.RunOK}

	for _, bad := range [][]string{{"two\nlines"}, {" "}, {strings.Repeat("x", assay.MaxRunNoteLen+1)}, make([]string, assay.MaxRunNotes+1)} {
		r := run
		r.Notes = bad
		_, _, err := o.RecordRun(e.Ctx, Actor, r, nil, nil)
		wantCode(t, err, assay.EINVALID, "a run with bad notes")
	}
	if runs := must(o.Runs(e.Ctx, src.ID, 0)).get(t); len(runs) != 0 {
		t.Fatalf("refused runs were stored: %+v", runs)
	}

	notes := []string{"The plan holds 2 resources, none of a type Assay judges (azurerm_resource_group).", "Ünïcode, kept as is."}
	r := run
	r.Notes = notes
	stored, _, err := o.RecordRun(e.Ctx, Actor, r, nil, nil)
	if err != nil || !slices.Equal(stored.Notes, notes) {
		t.Fatalf("record: %+v %v", stored, err)
	}
	plain, _, err := o.RecordRun(e.Ctx, Actor, run, []assay.CheckResult{mresult("c", "a", assay.CheckPass)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := must(o.Run(e.Ctx, stored.ID)).get(t); !slices.Equal(got.Notes, notes) {
		t.Fatalf("Run notes = %q", got.Notes)
	}
	runs := must(o.Runs(e.Ctx, src.ID, 0)).get(t)
	if len(runs) != 2 || runs[0].ID != plain.ID || runs[0].Notes != nil || !slices.Equal(runs[1].Notes, notes) {
		t.Fatalf("Runs = %+v", runs)
	}
}
