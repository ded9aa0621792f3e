package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

// Monitoring over an audit period: the history the period view, the
// exports and the check_runs population read.

// maxPeriodTransitions bounds what one MonitorHistory reads.
const maxPeriodTransitions = 200000

// MonitorHistory reads what monitoring recorded in [from, to) about the
// given checks (nil: every check).
func (s *orgStore) MonitorHistory(ctx context.Context, checkIDs []string, from, to time.Time) (assay.MonitorHistory, error) {
	h := assay.MonitorHistory{From: from.UTC(), To: to.UTC(), SourceChecks: map[int64][]string{}, Runs: []assay.MonitorRun{},
		Transitions: []assay.Transition{}, Findings: []assay.Finding{}}
	if to.Before(from) {
		return h, assay.Invalid("to", "The end of the period is before its start.")
	}
	var err error
	if h.Sources, err = s.Sources(ctx); err != nil {
		return h, err
	}
	names, err := s.checkKeys(ctx)
	if err != nil {
		return h, err
	}
	if err := s.sourceChecks(ctx, names, h.SourceChecks); err != nil {
		return h, err
	}
	if h.Runs, err = s.periodRuns(ctx, from, to); err != nil {
		return h, err
	}
	var keys []any
	for k, id := range names {
		if checkIDs == nil || slices.Contains(checkIDs, id) {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		if h.Transitions, err = s.periodTransitions(ctx, names, keys, from, to); err != nil {
			return h, err
		}
	}
	findings, err := s.Findings(ctx, false)
	if err != nil {
		return h, err
	}
	for _, f := range findings {
		if f.OpenedAt.Before(to) && (f.ClosedAt == nil || !f.ClosedAt.Before(from)) {
			h.Findings = append(h.Findings, f)
		}
	}
	return h, nil
}

// sourceChecks fills, per source, the checks ever evaluated on one of its
// resources (its source-level pseudo resource included).
func (s *orgStore) sourceChecks(ctx context.Context, names map[int64]string, out map[int64][]string) error {
	rows, err := s.db.query(ctx, `SELECT source_id, state FROM monitor_resources WHERE org_id = ?`, s.orgID)
	if err != nil {
		return fmt.Errorf("source checks: %w", err)
	}
	defer rows.Close()
	seen := map[int64]map[int64]bool{}
	var entries []stateEntry
	for rows.Next() {
		var src int64
		var blob []byte
		if err := rows.Scan(&src, &blob); err != nil {
			return fmt.Errorf("source checks: %w", err)
		}
		if entries, err = decodeState(entries[:0], blob); err != nil {
			return fmt.Errorf("source %d: %w", src, err)
		}
		if seen[src] == nil {
			seen[src] = map[int64]bool{}
		}
		for _, e := range entries {
			seen[src][e.check] = true
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("source checks: %w", err)
	}
	for src, keys := range seen {
		ids := make([]string, 0, len(keys))
		for k := range keys {
			if id := names[k]; id != "" {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		out[src] = ids
	}
	return nil
}

// periodRuns lists the runs started in [from, to), oldest first.
func (s *orgStore) periodRuns(ctx context.Context, from, to time.Time) ([]assay.MonitorRun, error) {
	rows, err := s.db.query(ctx, `SELECT `+runColumns+` FROM monitor_runs WHERE org_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, id`,
		s.orgID, formatTime(from), formatTime(to))
	if err != nil {
		return nil, fmt.Errorf("period runs: %w", err)
	}
	defer rows.Close()
	out := []assay.MonitorRun{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// periodTransitions lists the checks' transitions in [from, to), preceded
// by the last transition before from of every pair failing then.
func (s *orgStore) periodTransitions(ctx context.Context, names map[int64]string, keys []any, from, to time.Time) ([]assay.Transition, error) {
	in := placeholders(len(keys))
	const cols = `SELECT t.check_key, r.source_id, r.resource_id, r.name, t.at, t.run_id, t.status, COALESCE(m.text, '') FROM monitor_transitions t
		JOIN monitor_resources r ON r.org_id = t.org_id AND r.id = t.resource_key
		LEFT JOIN monitor_reasons m ON m.org_id = t.org_id AND m.hash = t.reason_key `
	scan := func(q string, args ...any) ([]assay.Transition, error) {
		rows, err := s.db.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("period transitions: %w", err)
		}
		defer rows.Close()
		var out []assay.Transition
		for rows.Next() {
			var t assay.Transition
			var key, at int64
			var status uint8
			if err := rows.Scan(&key, &t.SourceID, &t.ResourceID, &t.ResourceName, &at, &t.RunID, &status, &t.Reason); err != nil {
				return nil, fmt.Errorf("period transitions: %w", err)
			}
			t.CheckID, t.At, t.Status = names[key], time.Unix(at, 0).UTC(), codeStatus(status)
			out = append(out, t)
		}
		return out, rows.Err()
	}
	before, err := scan(cols+`JOIN (SELECT check_key, resource_key, MAX(at) AS last FROM monitor_transitions
		WHERE org_id = ? AND check_key IN (`+in+`) AND at < ? GROUP BY check_key, resource_key) l
		ON l.check_key = t.check_key AND l.resource_key = t.resource_key AND l.last = t.at
		WHERE t.org_id = ? ORDER BY t.at, t.run_id`, append(append([]any{s.orgID}, keys...), from.Unix(), s.orgID)...)
	if err != nil {
		return nil, err
	}
	// Keep, per pair, the last of the transitions at the same second, and
	// only when it is a failure.
	type pair struct {
		check, resource string
		source          int64
	}
	last := map[pair]assay.Transition{}
	for _, t := range before {
		last[pair{t.CheckID, t.ResourceID, t.SourceID}] = t
	}
	out := []assay.Transition{}
	for _, t := range last {
		if t.Status == assay.CheckFail {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b assay.Transition) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.RunID, b.RunID)) })
	inside, err := scan(cols+`WHERE t.org_id = ? AND t.check_key IN (`+in+`) AND t.at >= ? AND t.at < ? ORDER BY t.at, t.run_id LIMIT ?`,
		append(append([]any{s.orgID}, keys...), from.Unix(), to.Unix(), maxPeriodTransitions)...)
	if err != nil {
		return nil, err
	}
	return append(out, inside...), nil
}

// checkRunsPopulation is the check_runs population's query: every run that
// started inside [ws, we) and was recorded (its monitor.run entry) by
// cutoffSeq.
func checkRunsPopulation(orgID, cutoffSeq int64, ws, we string) (string, []any) {
	return `SELECT 'run:' || CAST(r.id AS TEXT),
		s.name || ' run #' || CAST(r.id AS TEXT) || ' (' || r.status || '): ' || CAST(r.resources AS TEXT) || ' resources, ' ||
		CAST(r.pass AS TEXT) || ' pass, ' || CAST(r.fail AS TEXT) || ' fail, ' || CAST(r.errors AS TEXT) || ' errors, digest ' || r.digest,
		r.started_at
		FROM monitor_runs r JOIN monitor_sources s ON s.org_id = r.org_id AND s.id = r.source_id
		WHERE r.org_id = ? AND r.started_at >= ? AND r.started_at < ?
		AND EXISTS (SELECT 1 FROM activity a WHERE a.org_id = r.org_id AND a.object_type = 'monitor_run'
			AND a.object_id = CAST(r.id AS TEXT) AND a.seq <= ?)`, []any{orgID, ws, we, cutoffSeq}
}
