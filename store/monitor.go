package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// CheckMeta is what RecordRun needs to know about a check to open a
// finding: how severe it is, which controls it tests, and (for the
// corrective action's text) its title and remediation.
type CheckMeta struct {
	Severity    assay.CheckSeverity
	Controls    []string
	Title       string
	Remediation string
}

// RunFeed hands a run's results to RecordRunFeed as they are evaluated:
// it calls emit once per resource id with every result of that id (a
// resource's results never come in two calls), source-level results
// (ResourceID "") before any resource's, and returns when evaluation
// ended (zero: the run's EndedAt stands). emit may keep nothing of the
// slice but its strings, so the feed can reuse it; an error from emit
// must be returned, and ends the run unrecorded.
type RunFeed func(emit func(results []assay.CheckResult) error) (ended time.Time, err error)

// MonitorStore is the organisation's continuous monitoring: sources, runs,
// results history, findings and custom checks.
//
// History model: the store keeps, per (source, resource), the current
// status of every check (read once per run and compared in memory) and
// writes a Transition only when a status changes. The first sight of a
// failing or erroring pair is a transition (From ""); the first sight of a
// passing pair is not: its first-seen time is kept with the current state,
// so StatusAt answers "pass" from then until its first transition. A
// resource or check that disappears from a successful run gets a transition
// to assay.CheckGone. A source-level error (ResourceID "") is kept on the
// source's pseudo resource "" and never changes per-resource state.
type MonitorStore interface {
	// Sources lists the organisation's sources by name; Source returns one
	// (ENOTFOUND if it is not the organisation's). Neither returns secrets.
	Sources(ctx context.Context) ([]assay.Source, error)
	Source(ctx context.Context, id int64) (assay.Source, error)
	// CreateSource validates and records a source; sealedSecrets are the
	// secrets already encrypted by the caller (nil: none). Its first run
	// is due at once.
	CreateSource(ctx context.Context, actor assay.Actor, src assay.Source, sealedSecrets []byte) (assay.Source, error)
	// UpdateSource changes name, settings, secret names, interval and
	// enabled; Kind cannot change. sealedSecrets nil keeps the stored ones.
	UpdateSource(ctx context.Context, actor assay.Actor, id int64, src assay.Source, sealedSecrets []byte) (assay.Source, error)
	// SourceSecrets returns the sealed secrets of a source (nil if none).
	SourceSecrets(ctx context.Context, id int64) ([]byte, error)
	// SetSourceInput records the blob-store hash of a file kind's uploaded
	// document.
	SetSourceInput(ctx context.Context, actor assay.Actor, id int64, hash string) (assay.Source, error)
	SetSourceEnabled(ctx context.Context, actor assay.Actor, id int64, enabled bool) (assay.Source, error)
	// DeleteSource removes a source that has never run (ECONFLICT otherwise:
	// disable it instead, its history stays).
	DeleteSource(ctx context.Context, actor assay.Actor, id int64) error

	// RecordRun stores one run in one transaction: the run summary (counts
	// and digest computed here from results, so the caller's are ignored;
	// the digest is assay.DigestVersion's),
	// the transitions for every change against the source's current state,
	// the per-check daily roll-up, the source's last run fields, findings,
	// and one activity entry ("monitor.run", with the digest, counts and the
	// findings and corrective actions it opened or closed). There is one
	// finding per (source, check) while any resource of the source fails the
	// check: it opens, with a corrective action (source failing_check,
	// source_ref "finding:<id>", owner: the owner of the first of the
	// check's controls that has an active admin or member as owner, due by
	// severity, see assay.FindingDue), when the first resource fails, and
	// closes, marking the action done with a note, when none fails any more
	// (they pass again or have gone). meta gives each check's
	// severity and controls (a check missing from meta is medium with no
	// controls). It returns the stored run and the status changes. A run
	// whose Status is error, or that has a source-level error result, never
	// marks missing resources gone.
	RecordRun(ctx context.Context, actor assay.Actor, run assay.MonitorRun, results []assay.CheckResult, meta map[string]CheckMeta) (assay.MonitorRun, []assay.RunChange, error)
	// RecordImportRun is an import: in one transaction it points a file
	// kind's source at its new document (inputHash, as SetSourceInput, with
	// its own activity entry) and records the run read from it (as
	// RecordRun). If either fails, neither is kept.
	RecordImportRun(ctx context.Context, actor assay.Actor, inputHash string, run assay.MonitorRun, results []assay.CheckResult, meta map[string]CheckMeta) (assay.MonitorRun, []assay.RunChange, error)
	// RecordRunFeed is RecordRun (inputHash "") or RecordImportRun with
	// the results streamed by feed, resource by resource, inside the run's
	// transaction, so a run of any size is never held whole in memory.
	RecordRunFeed(ctx context.Context, actor assay.Actor, inputHash string, run assay.MonitorRun, feed RunFeed, meta map[string]CheckMeta) (assay.MonitorRun, []assay.RunChange, error)
	// Runs lists a source's runs, newest first (limit 0: 50, at most 1000);
	// sourceID 0 lists every source's.
	Runs(ctx context.Context, sourceID int64, limit int) ([]assay.MonitorRun, error)
	Run(ctx context.Context, id int64) (assay.MonitorRun, error)
	// CurrentResults is the latest status of every (check, resource) pair
	// still present, including source-level errors (ResourceID ""), ordered
	// by check, source and resource.
	CurrentResults(ctx context.Context, f assay.ResultFilter) ([]assay.CurrentResult, error)
	// CurrentResultsPage is CurrentResults one page at a time, in
	// (source, resource, check) order: at most limit results after the
	// key after (zero: from the start), reading only the resources the
	// page needs; more reports whether results follow.
	CurrentResultsPage(ctx context.Context, f assay.ResultFilter, after assay.ResultKey, limit int) (list []assay.CurrentResult, more bool, err error)
	// CheckHistory lists the transitions of a check between from and to
	// (inclusive), oldest first; sourceID 0 means every source, resourceID
	// "" every resource (at most 10,000 transitions).
	CheckHistory(ctx context.Context, checkID string, sourceID int64, resourceID string, from, to time.Time) ([]assay.Transition, error)
	// StatusAt is the status of check on a resource at a time and its
	// reason; "" when the pair was not known then (or had gone). With
	// sourceID 0 and the resource id in several sources, the worst wins.
	StatusAt(ctx context.Context, checkID string, sourceID int64, resourceID string, at time.Time) (assay.CheckStatus, string, error)
	// CheckDays returns, for every check with results, its days between
	// from and to (UTC days, inclusive) that have results, oldest first.
	CheckDays(ctx context.Context, from, to time.Time) (map[string][]assay.CheckDay, error)
	// Findings lists findings, newest first (openOnly: those not closed).
	Findings(ctx context.Context, openOnly bool) ([]assay.Finding, error)
	// FailingByCheck counts, per check, the resources whose current status
	// is fail (checks with none are absent): what readiness needs.
	FailingByCheck(ctx context.Context) (map[string]int, error)
	// NotPassingChecks summarises, per check and status (fail, error),
	// what the enabled sources' current results do not pass: the number of
	// distinct names and the first named of them in byte order (see
	// assay.NotPassingCheck), ordered by check then status. It reads a
	// table the runs keep in step with the current results, not the
	// results themselves.
	NotPassingChecks(ctx context.Context, named int) ([]assay.NotPassingCheck, error)
	// CheckTotals lists, per source and check with any current result,
	// the resources passing, failing and in error now, ordered by check
	// then source.
	CheckTotals(ctx context.Context) ([]assay.CheckTotal, error)

	// Custom checks. The caller has compiled the expression; the store
	// checks the fields (assay.ValidateCustomCheck), that the id is unique
	// in the organisation and that every control exists in it.
	CustomChecks(ctx context.Context) ([]assay.Check, error)
	CreateCustomCheck(ctx context.Context, actor assay.Actor, c assay.Check) (assay.Check, error)
	UpdateCustomCheck(ctx context.Context, actor assay.Actor, id string, c assay.Check) (assay.Check, error)
	DeleteCustomCheck(ctx context.Context, actor assay.Actor, id string) error
}

// MonitorScheduler is the unscoped part of monitoring: the scheduler
// looks across organisations for sources that are due.
type MonitorScheduler interface {
	// ClaimDueSources finds enabled sources whose next run is at or before
	// now, moves each one's next run to now plus its interval, and returns
	// the sources this caller claimed (oldest due first, at most limit;
	// limit 0: 100). A due source is claimed by exactly one caller even
	// when several processes share the database.
	ClaimDueSources(ctx context.Context, now time.Time, limit int) ([]assay.Source, error)
}
