package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// runCheck is one check as a run sees it.
type runCheck struct {
	id               string
	key              int64
	pass, fail, errs int    // this run's results
	example          int64  // a failure (or error) reason key seen in this run
	cur              [4]int // current per-resource statuses after the run, by code
	touched          bool
}

// runResource is one (source, resource) row as a run sees it.
type runResource struct {
	key     int64 // 0 until inserted
	id      string
	kind    string
	name    string
	goneAt  sql.NullInt64
	first   int64
	blob    []byte
	applied bool // this run had results for it
	isNew   bool
	dirty   bool
	renamed bool // its name changed in this run (monitor_failing names it)
}

// pendingTransition is a transition whose resource may not have a key yet.
type pendingTransition struct {
	res    *runResource
	check  int64
	status uint8
	reason int64
}

// runApply holds a run being recorded.
type runApply struct {
	s        *orgStore
	tx       *Tx
	run      assay.MonitorRun
	at       int64
	complete bool // ok and no source-level error: missing resources are gone
	digest   assay.RunDigester
	emitted  int // results so far

	// Reused while resources are applied one by one.
	entries   []stateEntry
	seq       []*runCheck // the checks of the previous resource, in its order
	lastCheck *runCheck

	checks    map[string]*runCheck
	byKey     map[int64]*runCheck
	resources []*runResource
	byID      map[string]*runResource

	transitions []pendingTransition
	changes     []assay.RunChange
	changeRes   []*runResource // the resource of each change
	changeKey   []int64        // the check key of each change
	reasons     map[int64]string
	countSeq    []*runCheck // see count

	// delta: the results are only the changed ones (RecordPartialRun), so
	// nothing is gone and the current totals are not recounted.
	delta   bool
	partial *partialRun

	mark func(phase string) // notes how long a phase took (debug log)

	pendingStates []*runResource // changed rows not yet written (PostgreSQL)
	// fresh holds the transitions of resources not yet inserted (no key
	// yet); on PostgreSQL the others are written while the run is being
	// evaluated (streamTransitions), and sentTransitions notes that some
	// were.
	fresh           []pendingTransition
	sentTransitions bool
}

// RecordRun stores one run: see store.MonitorStore.
func (s *orgStore) RecordRun(ctx context.Context, actor assay.Actor, run assay.MonitorRun, results []assay.CheckResult, meta map[string]store.CheckMeta) (assay.MonitorRun, []assay.RunChange, error) {
	return s.recordRun(ctx, actor, "", run, sliceFeed(results), meta, nil)
}

// RecordImportRun stores an imported document's run and points its source
// at the document, in one transaction: see store.MonitorStore.
func (s *orgStore) RecordImportRun(ctx context.Context, actor assay.Actor, hash string, run assay.MonitorRun, results []assay.CheckResult, meta map[string]store.CheckMeta) (assay.MonitorRun, []assay.RunChange, error) {
	return s.RecordRunFeed(ctx, actor, hash, run, sliceFeed(results), meta)
}

// RecordRunFeed stores a run whose results stream: see store.MonitorStore.
func (s *orgStore) RecordRunFeed(ctx context.Context, actor assay.Actor, hash string, run assay.MonitorRun, feed store.RunFeed, meta map[string]store.CheckMeta) (assay.MonitorRun, []assay.RunChange, error) {
	if hash != "" {
		var err error
		if hash, err = inputHash(hash); err != nil {
			return assay.MonitorRun{}, nil, err
		}
	}
	return s.recordRun(ctx, actor, hash, run, feed, meta, nil)
}

// partialRun is what RecordPartialRun adds to a run: the per-check totals
// and the resource ids its results name.
type partialRun struct {
	totals map[string][3]int
	ids    []any
}

// RecordPartialRun records a run from only the results that changed, with
// the run's per-check totals (pass, fail, error) given by the caller: the
// same write path as RecordRun, for simulations and benchmarks that cannot
// afford to build every result. Nothing is marked gone and the current
// totals per source are not recounted. It is not part of store.Store.
func (db *DB) RecordPartialRun(ctx context.Context, orgID int64, actor assay.Actor, run assay.MonitorRun, changed []assay.CheckResult,
	totals map[string][3]int, meta map[string]store.CheckMeta) (assay.MonitorRun, []assay.RunChange, error) {
	if totals == nil {
		totals = map[string][3]int{}
	}
	return (&orgStore{db: db, orgID: orgID}).recordRun(ctx, actor, "", run, sliceFeed(changed), meta, &partialRun{totals: totals, ids: resourceIDs(changed)})
}

// recordRun records a run in one transaction; with an input (the hash of
// an imported document) the source is first pointed at it, in the same
// transaction, so an import whose run cannot be recorded leaves no trace.
// The results come from feed, one resource at a time: each is compared
// with the resource's state as it comes, and digested (assay.RunDigester).
func (s *orgStore) recordRun(ctx context.Context, actor assay.Actor, input string, run assay.MonitorRun, feed store.RunFeed, meta map[string]store.CheckMeta,
	partial *partialRun) (assay.MonitorRun, []assay.RunChange, error) {
	if err := run.Validate(); err != nil {
		return assay.MonitorRun{}, nil, err
	}
	run.StartedAt, run.EndedAt = run.StartedAt.UTC().Truncate(time.Microsecond), run.EndedAt.UTC().Truncate(time.Microsecond)
	run.Pass, run.Fail, run.Errors, run.Resources = 0, 0, 0, 0
	run.DigestVersion = assay.DigestVersion
	a := &runApply{s: s, run: run, at: run.StartedAt.Unix(), complete: run.Status == assay.RunOK,
		checks: map[string]*runCheck{}, byKey: map[int64]*runCheck{}, byID: map[string]*runResource{}, reasons: map[int64]string{},
		partial: partial, delta: partial != nil}
	if a.delta {
		a.complete = false
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		a.tx = tx
		src, err := s.sourceByID(tx.ctx, tx.Tx, run.SourceID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.Invalid("source_id", "No source %d in this organisation.", run.SourceID)
		} else if err != nil {
			return err
		}
		if input != "" {
			if src, err = s.importInput(tx, actor, src, input); err != nil {
				return err
			}
		}
		if err := tx.queryRow(`INSERT INTO monitor_runs (org_id, source_id, run_trigger, started_at, ended_at, status, error, resources, pass, fail, errors, digest, digest_version, snapshot, notes)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '', ?, ?, ?) RETURNING id`,
			s.orgID, run.SourceID, run.Trigger, formatTime(run.StartedAt), formatTime(run.EndedAt), run.Status, run.Error,
			run.DigestVersion, run.Snapshot, joinNotes(run.Notes)).Scan(&a.run.ID); err != nil {
			return fmt.Errorf("insert run: %w", err)
		}
		phase := time.Now()
		var phases []any
		mark := func(name string) {
			phases = append(phases, name, time.Since(phase).Round(time.Millisecond).String())
			phase = time.Now()
		}
		a.mark = mark
		defer func() {
			slog.Debug("monitoring run recorded", append([]any{"run", a.run.ID, "results", a.run.Pass + a.run.Fail + a.run.Errors}, phases...)...)
		}()
		if err := a.loadChecks(); err != nil {
			return err
		}
		if err := a.loadResources(); err != nil {
			return err
		}
		mark("load")
		ended, err := feed(a.emit)
		if err != nil {
			return err
		}
		if !ended.IsZero() && ended.After(a.run.EndedAt) {
			a.run.EndedAt = ended.UTC().Truncate(time.Microsecond)
		}
		if err := a.applyRest(); err != nil {
			return err
		}
		if a.delta {
			if err := a.useTotals(partial.totals); err != nil {
				return err
			}
			a.run.Pass, a.run.Fail, a.run.Errors = 0, 0, 0
			for _, t := range partial.totals {
				a.run.Pass, a.run.Fail, a.run.Errors = a.run.Pass+t[0], a.run.Fail+t[1], a.run.Errors+t[2]
			}
		}
		if a.run.Digest, err = a.digest.Sum(); err != nil {
			return assay.Invalid("results", "%v", err)
		}
		mark("evaluate and apply")
		if err := a.write(); err != nil {
			return err
		}
		f, err := a.findings(actor, meta)
		if err != nil {
			return err
		}
		mark("findings")
		if _, err := tx.exec(`UPDATE monitor_runs SET ended_at = ?, resources = ?, pass = ?, fail = ?, errors = ?, digest = ? WHERE org_id = ? AND id = ?`,
			formatTime(a.run.EndedAt), a.run.Resources, a.run.Pass, a.run.Fail, a.run.Errors, a.run.Digest, s.orgID, a.run.ID); err != nil {
			return fmt.Errorf("update run: %w", err)
		}
		if _, err := tx.exec(`UPDATE monitor_sources SET last_run_at = ?, last_status = ?, last_error = ? WHERE org_id = ? AND id = ?`,
			formatTime(a.run.EndedAt), run.Status, run.Error, s.orgID, run.SourceID); err != nil {
			return fmt.Errorf("update source: %w", err)
		}
		summary := fmt.Sprintf("Monitoring run %d of %q (%s): %s, %d resources, %d pass, %d fail, %d error, %d changes, digest %s (version %d)",
			a.run.ID, src.Name, run.Trigger, run.Status, a.run.Resources, a.run.Pass, a.run.Fail, a.run.Errors, len(a.changes), a.run.Digest, a.run.DigestVersion)
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.run", objectType: "monitor_run", objectID: idText(a.run.ID),
			summary: summary, after: runActivity{Run: a.run, Changes: len(a.changes), OpenedFindings: f.opened, ClosedFindings: f.closed,
				OpenedActions: f.openedActions, DoneActions: f.doneActions}})
		return err
	})
	if err != nil {
		return assay.MonitorRun{}, nil, err
	}
	if a.changes == nil {
		a.changes = []assay.RunChange{}
	}
	return a.run, a.changes, nil
}

// runActivity is the after-state of a run's activity entry.
type runActivity struct {
	Run            assay.MonitorRun `json:"run"`
	Changes        int              `json:"changes"`
	OpenedFindings []int64          `json:"opened_findings,omitempty"`
	ClosedFindings []int64          `json:"closed_findings,omitempty"`
	OpenedActions  []int64          `json:"opened_corrective_actions,omitempty"`
	DoneActions    []int64          `json:"done_corrective_actions,omitempty"`
}

// loadChecks reads the organisation's interned checks (the run's new
// ones are interned as they come).
func (a *runApply) loadChecks() error {
	rows, err := a.tx.query(`SELECT id, check_id FROM monitor_checks WHERE org_id = ?`, a.s.orgID)
	if err != nil {
		return fmt.Errorf("load checks: %w", err)
	}
	for rows.Next() {
		c := &runCheck{}
		if err := rows.Scan(&c.key, &c.id); err != nil {
			rows.Close()
			return fmt.Errorf("load checks: %w", err)
		}
		a.checks[c.id], a.byKey[c.key] = c, c
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("load checks: %w", err)
	}
	return nil
}

// intern returns the run's check with the given id, interning it.
func (a *runApply) intern(id string) (*runCheck, error) {
	if c, ok := a.checks[id]; ok {
		return c, nil
	}
	c := &runCheck{id: id}
	if err := a.tx.queryRow(`INSERT INTO monitor_checks (org_id, check_id) VALUES (?, ?) RETURNING id`, a.s.orgID, id).Scan(&c.key); err != nil {
		return nil, fmt.Errorf("intern check %s: %w", id, err)
	}
	a.checks[id], a.byKey[c.key] = c, c
	return c, nil
}

// loadResources reads the source's resources and their current state (a
// partial run: only those it has results for).
func (a *runApply) loadResources() error {
	const q = `SELECT id, resource_id, kind, name, first_seen, gone_at, state FROM monitor_resources WHERE org_id = ? AND source_id = ?`
	if !a.delta {
		return a.loadResourceRows(q, a.s.orgID, a.run.SourceID)
	}
	ids := a.partial.ids
	for start := 0; start < len(ids); start += batchRows {
		part := ids[start:min(start+batchRows, len(ids))]
		if err := a.loadResourceRows(q+` AND resource_id IN (`+placeholders(len(part))+`)`, append([]any{a.s.orgID, a.run.SourceID}, part...)...); err != nil {
			return err
		}
	}
	return nil
}

func (a *runApply) loadResourceRows(q string, args ...any) error {
	rows, err := a.tx.query(q, args...)
	if err != nil {
		return fmt.Errorf("load resources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r := &runResource{}
		if err := rows.Scan(&r.key, &r.id, &r.kind, &r.name, &r.first, &r.goneAt, &r.blob); err != nil {
			return fmt.Errorf("load resources: %w", err)
		}
		a.resources = append(a.resources, r)
		a.byID[r.id] = r
	}
	return rows.Err()
}

// useTotals replaces the per-check counts of a partial run by the totals.
func (a *runApply) useTotals(totals map[string][3]int) error {
	for _, c := range a.checks {
		c.pass, c.fail, c.errs = 0, 0, 0
	}
	for id, t := range totals {
		c, err := a.intern(id)
		if err != nil {
			return err
		}
		c.pass, c.fail, c.errs = t[0], t[1], t[2]
	}
	return nil
}
