package storetest

import (
	"time"

	"github.com/assay-platform/assay"
)

// testMonitorImport: an import points its source at the document and
// records the run in one transaction; a run refused inside it (two
// results for one pair are found only while applying) leaves the source,
// the runs and the audit trail as they were.
func testMonitorImport(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	tf := must(o.CreateSource(e.Ctx, Actor, assay.Source{Name: "State", Kind: "terraform"}, nil)).get(t)
	now := e.Clock.Now()
	run := assay.MonitorRun{SourceID: tf.ID, Trigger: assay.TriggerImport, StartedAt: now, EndedAt: now.Add(time.Second), Status: assay.RunOK}
	count := func() (inputs, runs int) {
		for _, a := range e.Activity(o) {
			switch a.Action {
			case "monitor.source.input":
				inputs++
			case "monitor.run":
				runs++
			}
		}
		return inputs, runs
	}

	_, _, err := o.RecordImportRun(e.Ctx, Actor, "sha256:abc", run, []assay.CheckResult{mresult("c", "a", assay.CheckPass), mresult("c", "a", assay.CheckFail)}, nil)
	wantCode(t, err, assay.EINVALID, "an import whose run is refused")
	live := e.newSource(o, "web")
	bad := run
	bad.SourceID = live.ID
	_, _, err = o.RecordImportRun(e.Ctx, Actor, "sha256:abc", bad, nil, nil)
	wantCode(t, err, assay.EINVALID, "an import into a live source")
	_, _, err = o.RecordImportRun(e.Ctx, Actor, " ", run, nil, nil)
	wantCode(t, err, assay.EINVALID, "an import with no document")
	if got := must(o.Source(e.Ctx, tf.ID)).get(t); got.InputHash != "" {
		t.Fatalf("a refused import set the document: %q", got.InputHash)
	}
	if runs := must(o.Runs(e.Ctx, 0, 0)).get(t); len(runs) != 0 {
		t.Fatalf("refused imports stored runs: %+v", runs)
	}
	if inputs, runs := count(); inputs != 0 || runs != 0 {
		t.Fatalf("refused imports wrote %d input and %d run entries", inputs, runs)
	}

	stored, _, err := o.RecordImportRun(e.Ctx, Actor, "sha256:abc", run, []assay.CheckResult{mresult("c", "a", assay.CheckPass)}, nil)
	if err != nil || stored.ID == 0 || stored.Pass != 1 {
		t.Fatalf("import: %+v %v", stored, err)
	}
	if got := must(o.Source(e.Ctx, tf.ID)).get(t); got.InputHash != "sha256:abc" || got.LastStatus != assay.RunOK {
		t.Fatalf("source after the import: %+v", got)
	}
	if inputs, runs := count(); inputs != 1 || runs != 1 {
		t.Fatalf("the import wrote %d input and %d run entries", inputs, runs)
	}
}
