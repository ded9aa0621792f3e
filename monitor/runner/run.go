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
// (The scheduler does not run a file source that is still Waiting for its
// first document, so only someone asking for the run sees that error.)
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
	var got collected
	if cerr == nil {
		got, cerr = r.collect(ctx, col, cfg)
	}
	if ctx.Err() != nil {
		return assay.MonitorRun{}, ctx.Err()
	}
	if cerr != nil {
		cerr = fmt.Errorf("%s", redact(cerr.Error(), cfg.Secrets))
	}
	return r.record(ctx, org, src, "", col.ResourceKinds(), trigger, started, got, cerr)
}

// Waiting reports whether src is a file-kind source that has not been
// given a document yet (just created, or its first import failed): it has
// nothing to collect until one is imported, and the scheduler passes it
// by, so it records no runs and holds no check results back.
func Waiting(src assay.Source) bool { return src.IsFileKind() && src.InputHash == "" }

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
	return r.record(ctx, org, src, "", kinds, assay.TriggerPush, r.clock().Now(), collected{resources: resources}, nil)
}

// MaxImport bounds an imported document (a Terraform state, a report).
const MaxImport = 64 << 20

// Import gives a file-kind source a new document and runs it (trigger
// "import"). A document the collector cannot read is refused with its
// reason (EINVALID) and changes nothing: a source that had a document
// keeps it and runs on; one that never had one stays Waiting for it and
// the scheduler does not run it. Otherwise the document is stored in the
// blob store, then one store transaction points the source at it and
// records the run (RecordImportRun), so a run that cannot be recorded
// leaves the source as it was. The document's blob is written first by
// design: blobs are content-addressed, and one no record points at is
// harmless.
func (r *Runner) Import(ctx context.Context, org store.OrgStore, sourceID int64, input []byte) (assay.MonitorRun, error) {
	defer r.lock(sourceID)()
	src, err := org.Source(ctx, sourceID)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	doc, err := r.read(ctx, org, src, input)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	return r.recordImport(ctx, org, src, doc)
}

// document is an imported document its collector has read.
type document struct {
	input   []byte
	kinds   []string
	started time.Time
	got     collected
}

// read checks an imported document and has src's collector read it. src
// may be a source not stored yet (ID 0, no secrets). Its errors are for
// the person who sent the document.
func (r *Runner) read(ctx context.Context, org store.OrgStore, src assay.Source, input []byte) (document, error) {
	if !src.IsFileKind() {
		return document{}, assay.Invalid("kind", "A %s source collects from a live system; only %v sources take an imported document.", src.Kind, assay.FileSourceKinds)
	}
	if len(input) == 0 {
		return document{}, assay.Invalid("file", "The document is empty.")
	}
	if len(input) > MaxImport {
		return document{}, assay.Invalid("file", "The document is larger than %d MB.", MaxImport>>20)
	}
	col, err := r.Collector(src.Kind)
	if err != nil {
		return document{}, err
	}
	if r.Blobs == nil {
		return document{}, fmt.Errorf("import: no blob store")
	}
	doc := document{input: input, kinds: col.ResourceKinds(), started: r.clock().Now()}
	cfg := monitor.Config{Settings: src.Settings, Input: input, People: peopleOf(org)}
	if src.ID != 0 {
		cfg.Previous = r.previous(org, src.ID)
		if cfg.Secrets, err = r.OpenSecrets(ctx, org, src.ID); err != nil {
			return document{}, fmt.Errorf("import: %w", err)
		}
	}
	got, cerr := r.collect(ctx, col, cfg)
	if ctx.Err() != nil {
		return document{}, ctx.Err()
	}
	if cerr != nil {
		return document{}, assay.Invalid("file", "The %s document could not be read: %s", src.Kind, redact(userText(cerr), cfg.Secrets))
	}
	doc.got = got
	return doc, nil
}

// userText is an error as a person reads it inside another message: an
// *assay.Error's message (never its code), or the text of any other error
// a collector gave (a timeout, a crash).
func userText(err error) string {
	if assay.ErrorCode(err) != assay.EINTERNAL {
		return assay.ErrorMessage(err)
	}
	return err.Error()
}

// recordImport stores a read document and records its run.
func (r *Runner) recordImport(ctx context.Context, org store.OrgStore, src assay.Source, doc document) (assay.MonitorRun, error) {
	hash, err := putBlob(r.Blobs, doc.input)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	return r.record(ctx, org, src, hash, doc.kinds, assay.TriggerImport, doc.started, doc.got, nil)
}

// CreateAndImport creates a file-kind source for a document and imports
// it, as `assay import KIND FILE` does for a source it does not find. A
// failed first import leaves nothing behind: the document is read before
// anything is stored, so one the collector cannot read is refused
// (EINVALID) with no source created; and if the source was created but
// its run could not be recorded, the source is deleted again (it has
// never run, so it may be). The source is stored as src gives it.
func (s Service) CreateAndImport(ctx context.Context, org store.OrgStore, actor assay.Actor, src assay.Source, input []byte) (assay.Source, assay.MonitorRun, error) {
	if err := src.Validate(); err != nil {
		return assay.Source{}, assay.MonitorRun{}, err
	}
	if err := s.ValidateSource(src.Kind, src.Settings, nil); err != nil {
		return assay.Source{}, assay.MonitorRun{}, err
	}
	doc, err := s.read(ctx, org, src, input)
	if err != nil {
		return assay.Source{}, assay.MonitorRun{}, err
	}
	created, err := s.CreateSource(ctx, org, actor, src, nil)
	if err != nil {
		return assay.Source{}, assay.MonitorRun{}, err
	}
	unlock := s.lock(created.ID)
	run, err := s.recordImport(WithActor(ctx, actor), org, created, doc)
	unlock()
	if err != nil {
		// The source was made for this document only: take it away again,
		// on a context of its own so a cancelled request still cleans up.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if derr := org.DeleteSource(cleanup, actor, created.ID); derr != nil {
			s.log().Error("import: the source created for a failed import could not be deleted", "org", org.OrgID(), "source", created.ID, "err", derr)
		}
		return assay.Source{}, assay.MonitorRun{}, err
	}
	return created, run, nil
}

// record evaluates and stores one run: resources when the collection
// worked, error results for the source when cerr is set. input is the
// hash of an imported document ("" otherwise): the source is pointed at
// it in the run's transaction.
func (r *Runner) record(ctx context.Context, org store.OrgStore, src assay.Source, input string, kinds []string, trigger string, started time.Time,
	got collected, cerr error) (assay.MonitorRun, error) {
	comp, checks, err := r.engineFor(ctx, org, kinds)
	if err != nil {
		return assay.MonitorRun{}, err
	}
	engine := comp.engine
	run := assay.MonitorRun{SourceID: src.ID, Trigger: trigger, StartedAt: started, Status: assay.RunOK, Notes: got.notes}
	resources := got.resources
	var results []assay.CheckResult // a failed collection's (source-level) results
	if cerr == nil {
		resources = dedupe(resources)
		if run.Snapshot, err = Snapshot(ctx, r.Blobs, resources); err != nil {
			cerr = fmt.Errorf("snapshot: %w", err)
		}
	}
	if cerr != nil {
		reason := fmt.Sprintf("%s could not be collected: %s", src.Name, userText(cerr))
		run.Status, run.Error, run.Snapshot, run.Notes = assay.RunError, reason, "", nil
		results = engine.ErrorResults(kinds, reason)
		resources = nil
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
	// The results stream into the store resource by resource (the source's
	// own first), so a large run is never held whole in memory.
	feed := func(emit func([]assay.CheckResult) error) (time.Time, error) {
		if err := emit(results); err != nil {
			return time.Time{}, err
		}
		if err := engine.EvaluateEach(ctx, resources, emit); err != nil {
			return time.Time{}, err
		}
		return r.clock().Now(), nil
	}
	stored, changes, err := org.RecordRunFeed(ctx, actorOf(ctx), input, run, feed, meta)
	if input != "" {
		src.InputHash = input
	}
	if err != nil {
		return assay.MonitorRun{}, fmt.Errorf("record run of source %d: %w", src.ID, err)
	}
	r.log().Info("monitor run", "org", org.OrgID(), "source", src.ID, "kind", src.Kind, "trigger", trigger,
		"status", stored.Status, "resources", stored.Resources, "pass", stored.Pass, "fail", stored.Fail,
		"errors", stored.Errors, "changes", len(changes), "notes", len(stored.Notes), "took", stored.EndedAt.Sub(started).Round(time.Millisecond))
	if r.Notify != nil {
		src.LastStatus = stored.Status
		r.Notify(ctx, org.OrgID(), src, stored, changes)
	}
	return stored, nil
}

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

// peopleOf is the organisation's roster for collectors that join to it
// (nil without an organisation).
func peopleOf(org store.OrgStore) func(context.Context) ([]assay.Person, error) {
	if org == nil {
		return nil
	}
	return org.People
}
