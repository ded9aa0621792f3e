// Package runner runs monitoring sources end to end: it opens a source's
// sealed secrets, collects its resources under a timeout, snapshots them in
// the content-addressed blob store, evaluates the checks of the source's
// resource kinds with the CEL engine, records the run (transitions,
// findings) and hands the status changes to the alerts. The Scheduler runs
// due sources on their intervals.
package runner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
)

// DefaultTimeout bounds one collection.
const DefaultTimeout = 2 * time.Minute

// NotifyFunc is told about every recorded run and the status changes it
// caused (changes may be empty). It runs after the run is stored; an alert
// that fails must not undo the run.
type NotifyFunc func(ctx context.Context, orgID int64, src assay.Source, run assay.MonitorRun, changes []assay.RunChange)

// Runner runs sources. Set the exported fields, then use it from any
// number of goroutines.
type Runner struct {
	Store store.Store
	Blobs evidence.Store // snapshots and imported documents
	Box   *secret.Box    // opens the sources' sealed secrets
	// Checks returns the checks that apply to an organisation: the library
	// plus its custom checks (app.App.Checks). Required: a runner without
	// it refuses to run rather than evaluate no checks.
	Checks  func(ctx context.Context, org store.OrgStore) ([]assay.Check, error)
	Clock   assay.Clock
	Logger  *slog.Logger
	Timeout time.Duration // one collection (default 2 minutes)
	Notify  NotifyFunc    // may be nil
	// Collectors finds a kind's collector (default collect.ByKind).
	Collectors func(kind string) (monitor.Collector, bool)

	engines engineCache
	locks   sync.Map // source id -> *sync.Mutex: one run of a source at a time in this process
}

type actorKey struct{}

// WithActor makes runs started under ctx recorded as done by actor (a
// user pressing "Run now"); without it runs are the system's.
func WithActor(ctx context.Context, a assay.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

func actorOf(ctx context.Context) assay.Actor {
	if a, ok := ctx.Value(actorKey{}).(assay.Actor); ok {
		return a
	}
	return assay.SystemActor
}

func (r *Runner) clock() assay.Clock {
	if r.Clock == nil {
		return assay.SystemClock{}
	}
	return r.Clock
}

func (r *Runner) log() *slog.Logger {
	if r.Logger == nil {
		return slog.Default()
	}
	return r.Logger
}

func (r *Runner) timeout() time.Duration {
	if r.Timeout <= 0 {
		return DefaultTimeout
	}
	return r.Timeout
}

// Collector returns the collector for a source kind.
func (r *Runner) Collector(kind string) (monitor.Collector, error) {
	find := r.Collectors
	if find == nil {
		find = func(kind string) (monitor.Collector, bool) { return collect.ByKind(kind, r.clock()) }
	}
	c, ok := find(kind)
	if !ok {
		return nil, assay.Invalid("kind", "No collector for source kind %q.", kind)
	}
	return c, nil
}

// ChecksFor returns the organisation's checks (see Runner.Checks).
func (r *Runner) ChecksFor(ctx context.Context, org store.OrgStore) ([]assay.Check, error) {
	if r.Checks == nil {
		return nil, errors.New("runner: no check list configured (Runner.Checks)")
	}
	return r.Checks(ctx, org)
}

// engineFor compiles (once, cached) the organisation's checks of the
// collector's resource kinds.
func (r *Runner) engineFor(ctx context.Context, org store.OrgStore, kinds []string) (compiled, []assay.Check, error) {
	all, err := r.ChecksFor(ctx, org)
	if err != nil {
		return compiled{}, nil, err
	}
	var mine []assay.Check
	for _, c := range all {
		if slices.Contains(kinds, c.Kind) {
			mine = append(mine, c)
		}
	}
	e, err := r.engines.get(mine)
	return e, mine, err
}

func (r *Runner) lock(sourceID int64) func() {
	m, _ := r.locks.LoadOrStore(sourceID, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// config opens a source's secrets and, for file kinds, its document.
// Its errors name what is missing and never hold a secret.
func (r *Runner) config(ctx context.Context, org store.OrgStore, src assay.Source) (monitor.Config, error) {
	cfg := monitor.Config{Settings: src.Settings, Previous: r.previous(org, src.ID), People: peopleOf(org)}
	if r.Blobs != nil {
		cfg.Keep = func(_ context.Context, doc []byte) (string, error) { return putBlob(r.Blobs, doc) }
	}
	var err error
	if cfg.Secrets, err = r.OpenSecrets(ctx, org, src.ID); err != nil {
		return cfg, err
	}
	if src.IsFileKind() {
		if src.InputHash == "" {
			return cfg, fmt.Errorf("no document has been imported for this source yet: upload one on its page or run `assay import %s FILE --source %q`", src.Kind, src.Name)
		}
		if r.Blobs == nil {
			return cfg, errors.New("no blob store to read the imported document from")
		}
		if cfg.Input, err = readBlob(r.Blobs, src.InputHash); err != nil {
			return cfg, fmt.Errorf("read the imported document: %w", err)
		}
	}
	return cfg, nil
}

// OpenSecrets returns a source's decrypted secrets (an empty map when it
// has none). The error never holds a secret.
func (r *Runner) OpenSecrets(ctx context.Context, org store.OrgStore, sourceID int64) (map[string]string, error) {
	sealed, err := org.SourceSecrets(ctx, sourceID)
	if err != nil {
		return nil, fmt.Errorf("read sealed secrets: %w", err)
	}
	if len(sealed) == 0 {
		return map[string]string{}, nil
	}
	if r.Box == nil {
		return nil, errors.New("the source has secrets but no secret key is configured")
	}
	m, err := r.Box.Open(secret.SourceAAD(org.OrgID(), sourceID), sealed)
	if err != nil {
		return nil, errors.New("the source's secrets cannot be decrypted with this installation's secret key (ASSAY_SECRET_KEY or secret.key)")
	}
	return m, nil
}

// collected is what one collection gave: the resources and the notes the
// collector added (monitor.Note), secrets redacted from them.
type collected struct {
	resources []assay.Resource
	notes     []string
}

// collect runs the collector under the timeout. A collector that ignores
// its context is abandoned when the timeout passes.
func (r *Runner) collect(ctx context.Context, col monitor.Collector, cfg monitor.Config) (collected, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	ctx, notes := monitor.WithNotes(ctx)
	cfg.Notes = notes // the same notes, for collectors that take them from their Config
	type answer struct {
		res []assay.Resource
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- answer{err: fmt.Errorf("collector crashed: %v", p)}
			}
		}()
		res, err := col.Collect(ctx, cfg)
		ch <- answer{res, err}
	}()
	select {
	case a := <-ch:
		if a.err == nil && ctx.Err() != nil {
			a.err = ctx.Err()
		}
		if errors.Is(a.err, context.DeadlineExceeded) {
			a.err = fmt.Errorf("timed out after %s", r.timeout())
		}
		if a.err != nil {
			return collected{}, a.err
		}
		out := collected{resources: a.res}
		for _, n := range notes.List() {
			out.notes = append(out.notes, redact(n, cfg.Secrets))
		}
		return out, nil
	case <-ctx.Done():
		return collected{}, fmt.Errorf("timed out after %s", r.timeout())
	}
}

// redact removes any secret value from a message (collectors should never
// put one there; this is a second fence).
func redact(msg string, secrets map[string]string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			msg = strings.ReplaceAll(msg, v, "[redacted]")
		}
	}
	return msg
}
