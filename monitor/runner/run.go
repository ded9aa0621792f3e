package runner

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/store"
)

// MaxPushResources bounds one agent push.
const MaxPushResources = 100_000

// RunSource collects a source now and records the run. A collector that
// fails or times out (or secrets that do not open, or a missing imported
// document) is not an error of RunSource: the run is recorded with status
// error and an error result, with the reason, for every check of the
// collector's resource kinds; earlier per-resource results are untouched.
// RunSource fails only when the run could not be recorded (or ctx ended:
// a shutdown is not the source's fault and records nothing).
func (r *Runner) RunSource(ctx context.Context, org store.OrgStore, sourceID int64, trigger string) (assay.MonitorRun, error) {
	defer r.lock(sourceID)()
	src, err := org.Source(ctx, sourceID)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	col, err := r.Collector(src.Kind)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	started := r.clock().Now()
	cfg, cerr := r.config(ctx, org, src)
	var resources []assay.Resource
	if cerr == nil {
		resources, cerr = r.collect(ctx, col, cfg)
	}
	if ctx.Err() != nil {
		return assay.MonitorRun{}, ctx.Err()
	}
	if cerr != nil {
		cerr = fmt.Errorf("%s", redact(cerr.Error(), cfg.Secrets))
	}
	return r.record(ctx, org, src, "", col.ResourceKinds(), trigger, started, resources, notesOf(cfg), cerr)
}

// Ingest records a run from resources an agent pushed (`assay collect
// host --push`) for a source, with trigger "push". Every resource must be
// of a kind the source's collector produces and have an id.
func (r *Runner) Ingest(ctx context.Context, org store.OrgStore, sourceID int64, resources []assay.Resource) (assay.MonitorRun, error) {
	defer r.lock(sourceID)()
	src, err := org.Source(ctx, sourceID)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	col, err := r.Collector(src.Kind)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	kinds := col.ResourceKinds()
	if len(resources) > MaxPushResources {
		return assay.MonitorRun{}, assay.Invalid("resources", "Push at most %d resources at a time.", MaxPushResources)
	}
	for i, res := range resources {
		switch {
		case !slices.Contains(kinds, res.Kind):
			return assay.MonitorRun{}, assay.Invalid("resources", "Resource %d has kind %q; a %s source takes %v.", i+1, res.Kind, src.Kind, kinds)
		case res.ID == "" || len(res.ID) > 1000:
			return assay.MonitorRun{}, assay.Invalid("resources", "Resource %d needs an id of at most 1000 characters.", i+1)
		}
	}
	return r.record(ctx, org, src, "", kinds, assay.TriggerPush, r.clock().Now(), resources, nil, nil)
}

// MaxImport bounds an imported document (a Terraform state, a report).
const MaxImport = 64 << 20

// Import gives a file-kind source a new document and runs it (trigger
// "import"). A document the collector cannot read is refused with its
// reason and changes nothing; otherwise it is stored in the blob store,
// then one store transaction points the source at it and records the run
// (RecordImportRun), so a run that cannot be recorded leaves the source as
// it was. The document's blob is written first by design: blobs are
// content-addressed, and one no record points at is harmless.
func (r *Runner) Import(ctx context.Context, org store.OrgStore, sourceID int64, input []byte) (assay.MonitorRun, error) {
	defer r.lock(sourceID)()
	src, err := org.Source(ctx, sourceID)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	if !src.IsFileKind() {
		return assay.MonitorRun{}, assay.Invalid("kind", "A %s source collects from a live system; only %v sources take an imported document.", src.Kind, assay.FileSourceKinds)
	}
	if len(input) == 0 {
		return assay.MonitorRun{}, assay.Invalid("file", "The document is empty.")
	}
	if len(input) > MaxImport {
		return assay.MonitorRun{}, assay.Invalid("file", "The document is larger than %d MB.", MaxImport>>20)
	}
	col, err := r.Collector(src.Kind)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	if r.Blobs == nil {
		return assay.MonitorRun{}, fmt.Errorf("import: no blob store")
	}
	started := r.clock().Now()
	cfg := monitor.Config{Settings: src.Settings, Input: input, Notes: &monitor.Notes{}, Previous: r.previous(org, src.ID)}
	if cfg.Secrets, err = r.OpenSecrets(ctx, org, src.ID); err != nil {
		return assay.MonitorRun{}, fmt.Errorf("import: %w", err)
	}
	resources, cerr := r.collect(ctx, col, cfg)
	if ctx.Err() != nil {
		return assay.MonitorRun{}, ctx.Err()
	}
	if cerr != nil {
		return assay.MonitorRun{}, assay.Invalid("file", "The %s document could not be read: %s", src.Kind, redact(cerr.Error(), cfg.Secrets))
	}
	hash, err := putBlob(r.Blobs, input)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	return r.record(ctx, org, src, hash, col.ResourceKinds(), assay.TriggerImport, started, resources, notesOf(cfg), nil)
}

// record evaluates and stores one run: resources (and the collector's
// notes) when the collection worked, error results for the source when
// cerr is set. input is the hash of an imported document ("" otherwise):
// the source is pointed at it in the run's transaction.
func (r *Runner) record(ctx context.Context, org store.OrgStore, src assay.Source, input string, kinds []string, trigger string, started time.Time,
	resources []assay.Resource, notes []string, cerr error) (assay.MonitorRun, error) {
	comp, checks, err := r.engineFor(ctx, org, kinds)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	engine := comp.engine
	run := assay.MonitorRun{SourceID: src.ID, Trigger: trigger, StartedAt: started, Status: assay.RunOK}
	var results []assay.CheckResult
	if cerr == nil {
		resources = dedupe(resources)
		if run.Snapshot, err = Snapshot(ctx, r.Blobs, resources); err != nil {
			cerr = fmt.Errorf("snapshot: %w", err)
		} else {
			results = engine.Evaluate(ctx, resources)
		}
	}
	if cerr != nil {
		reason := fmt.Sprintf("%s could not be collected: %v", src.Name, cerr)
		run.Status, run.Error, run.Snapshot = assay.RunError, reason, ""
		results = engine.ErrorResults(kinds, reason)
	} else {
		run.Notes = notes
	}
	results = append(results, comp.badResults()...)
	if ctx.Err() != nil {
		return assay.MonitorRun{}, ctx.Err()
	}
	run.EndedAt = r.clock().Now()
	meta := make(map[string]store.CheckMeta, len(checks))
	for _, c := range checks {
		meta[c.ID] = store.CheckMeta{Severity: c.Severity, Controls: c.Controls}
	}
	var stored assay.MonitorRun
	var changes []assay.RunChange
	if input != "" {
		stored, changes, err = org.RecordImportRun(ctx, actorOf(ctx), input, run, results, meta)
		src.InputHash = input
	} else {
		stored, changes, err = org.RecordRun(ctx, actorOf(ctx), run, results, meta)
	}
	if err != nil {
		return assay.MonitorRun{}, fmt.Errorf("record run of source %d: %w", src.ID, err)
	}
	stored.Notes = run.Notes
	attrs := []any{"org", org.OrgID(), "source", src.ID, "kind", src.Kind, "trigger", trigger,
		"status", stored.Status, "resources", stored.Resources, "pass", stored.Pass, "fail", stored.Fail,
		"errors", stored.Errors, "changes", len(changes), "took", run.EndedAt.Sub(started).Round(time.Millisecond)}
	if len(run.Notes) > 0 {
		attrs = append(attrs, "notes", run.Notes)
	}
	r.log().Info("monitor run", attrs...)
	if r.Notify != nil {
		src.LastStatus = stored.Status
		r.Notify(ctx, org.OrgID(), src, stored, changes)
	}
	return stored, nil
}

// notesOf returns what the collector noted about the run.
func notesOf(cfg monitor.Config) []string { return cfg.Notes.List() }

// dedupe keeps the first resource of every (kind, id): a collector that
// lists one twice would otherwise record its results twice.
func dedupe(resources []assay.Resource) []assay.Resource {
	type key struct{ kind, id string }
	seen := make(map[key]bool, len(resources))
	out := resources[:0:0]
	for _, res := range resources {
		k := key{res.Kind, res.ID}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, res)
	}
	return out
}

// Reevaluate evaluates checks again over the resources of an earlier run's
// snapshot (its MonitorRun.Snapshot), for example after a check changed.
// Nothing is recorded.
func (r *Runner) Reevaluate(ctx context.Context, snapshot string, checks []assay.Check) ([]assay.CheckResult, error) {
	if r.Blobs == nil {
		return nil, fmt.Errorf("reevaluate: no blob store")
	}
	resources, err := LoadSnapshot(ctx, r.Blobs, snapshot)
	if err != nil {
		return nil, err
	}
	comp, err := r.engines.get(checks)
	if err != nil {
		return nil, err
	}
	return append(comp.engine.Evaluate(ctx, resources), comp.badResults()...), nil
}
