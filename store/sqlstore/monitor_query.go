package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

const runColumns = `id, source_id, run_trigger, started_at, ended_at, status, error, resources, pass, fail, errors, digest, digest_version, snapshot, notes`

func scanRun(row interface{ Scan(...any) error }) (assay.MonitorRun, error) {
	var r assay.MonitorRun
	var started, ended, notes string
	err := row.Scan(&r.ID, &r.SourceID, &r.Trigger, &started, &ended, &r.Status, &r.Error, &r.Resources, &r.Pass, &r.Fail, &r.Errors, &r.Digest, &r.DigestVersion, &r.Snapshot, &notes)
	if errors.Is(err, sql.ErrNoRows) {
		return r, assay.Errorf(assay.ENOTFOUND, "Run not found.")
	} else if err != nil {
		return r, fmt.Errorf("scan run: %w", err)
	}
	r.Notes = splitNotes(notes)
	if r.StartedAt, err = parseTime(started); err != nil {
		return r, err
	}
	r.EndedAt, err = parseTime(ended)
	return r, err
}

// joinNotes and splitNotes store a run's notes one a line (a note is one
// line: MonitorRun.Validate), ” for none.
func joinNotes(notes []string) string { return strings.Join(notes, "\n") }

func splitNotes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// Run returns one run's summary.
func (s *orgStore) Run(ctx context.Context, id int64) (assay.MonitorRun, error) {
	return scanRun(s.db.queryRow(ctx, `SELECT `+runColumns+` FROM monitor_runs WHERE org_id = ? AND id = ?`, s.orgID, id))
}

// Runs lists runs, newest first.
func (s *orgStore) Runs(ctx context.Context, sourceID int64, limit int) ([]assay.MonitorRun, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	q, args := `SELECT `+runColumns+` FROM monitor_runs WHERE org_id = ?`, []any{s.orgID}
	if sourceID != 0 {
		q += ` AND source_id = ?`
		args = append(args, sourceID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
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

// checkKeys maps the organisation's interned check keys to check ids.
func (s *orgStore) checkKeys(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.query(ctx, `SELECT id, check_id FROM monitor_checks WHERE org_id = ?`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("checks: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var k int64
		var id string
		if err := rows.Scan(&k, &id); err != nil {
			return nil, fmt.Errorf("checks: %w", err)
		}
		out[k] = id
	}
	return out, rows.Err()
}

// checkKey returns the interned key of a check, 0 if it has no results.
func (s *orgStore) checkKey(ctx context.Context, checkID string) (int64, error) {
	var k int64
	err := s.db.queryRow(ctx, `SELECT id FROM monitor_checks WHERE org_id = ? AND check_id = ?`, s.orgID, checkID).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return k, err
}

// reasonTexts reads the texts of reason keys.
func (s *orgStore) reasonTexts(ctx context.Context, keys map[int64]string) error {
	list := make([]int64, 0, len(keys))
	for k := range keys {
		if k != 0 {
			list = append(list, k)
		}
	}
	for start := 0; start < len(list); start += batchRows {
		part := list[start:min(start+batchRows, len(list))]
		args := []any{s.orgID}
		for _, k := range part {
			args = append(args, k)
		}
		rows, err := s.db.query(ctx, `SELECT hash, text FROM monitor_reasons WHERE org_id = ? AND hash IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return fmt.Errorf("reasons: %w", err)
		}
		for rows.Next() {
			var k int64
			var t string
			if err := rows.Scan(&k, &t); err != nil {
				rows.Close()
				return fmt.Errorf("reasons: %w", err)
			}
			keys[k] = t
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("reasons: %w", err)
		}
	}
	return nil
}

// CurrentResults lists what every check says now.
func (s *orgStore) CurrentResults(ctx context.Context, f assay.ResultFilter) ([]assay.CurrentResult, error) {
	if f.Status != "" && f.Status != assay.CheckPass && f.Status != assay.CheckFail && f.Status != assay.CheckError {
		return nil, assay.Invalid("status", "Unknown status %q; use pass, fail or error.", f.Status)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 10000
	}
	checks, err := s.checkKeys(ctx)
	if err != nil {
		return nil, err
	}
	q, args := `SELECT source_id, resource_id, kind, name, state FROM monitor_resources WHERE org_id = ? AND gone_at IS NULL`, []any{s.orgID}
	if f.SourceID != 0 {
		q += ` AND source_id = ?`
		args = append(args, f.SourceID)
	}
	if f.ResourceID != "" {
		q += ` AND resource_id = ?`
		args = append(args, f.ResourceID)
	}
	if f.SourceLevel { // one row per source, found through the (org, source, resource) key
		q += ` AND resource_id = '' AND source_id IN (SELECT id FROM monitor_sources WHERE org_id = ?)`
		args = append(args, s.orgID)
	}
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("current results: %w", err)
	}
	defer rows.Close()
	out := []assay.CurrentResult{}
	reasons := map[int64]string{}
	var keys []int64
	var entries []stateEntry
	for rows.Next() {
		var src int64
		var id, kind, name string
		var blob []byte
		if err := rows.Scan(&src, &id, &kind, &name, &blob); err != nil {
			return nil, fmt.Errorf("current results: %w", err)
		}
		if entries, err = decodeState(entries[:0], blob); err != nil {
			return nil, fmt.Errorf("resource %q: %w", id, err)
		}
		for _, e := range entries {
			check := checks[e.check]
			if e.status == codeGone || (f.CheckID != "" && check != f.CheckID) || (f.Status != "" && codeStatus(e.status) != f.Status) ||
				(f.NotPassing && e.status == codePass) {
				continue
			}
			reasons[e.reason] = ""
			keys = append(keys, e.reason)
			out = append(out, assay.CurrentResult{SourceID: src, Since: time.Unix(e.since, 0).UTC(),
				CheckResult: assay.CheckResult{CheckID: check, ResourceKind: kind, ResourceID: id, ResourceName: name, Status: codeStatus(e.status)}})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("current results: %w", err)
	}
	if !f.NoReasons {
		if err := s.reasonTexts(ctx, reasons); err != nil {
			return nil, err
		}
		for i := range out {
			out[i].Reason = reasons[keys[i]]
		}
	}
	slices.SortFunc(out, func(a, b assay.CurrentResult) int {
		return cmp.Or(strings.Compare(a.CheckID, b.CheckID), cmp.Compare(a.SourceID, b.SourceID), strings.Compare(a.ResourceID, b.ResourceID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// resourceKeys finds the interned keys of a resource id (in one source, or
// in every source when sourceID is 0).
func (s *orgStore) resourceKeys(ctx context.Context, sourceID int64, resourceID string) ([]int64, error) {
	q, args := `SELECT id FROM monitor_resources WHERE org_id = ? AND resource_id = ?`, []any{s.orgID, resourceID}
	if sourceID != 0 {
		q += ` AND source_id = ?`
		args = append(args, sourceID)
	}
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("resource keys: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("resource keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// CheckHistory lists a check's transitions between from and to.
func (s *orgStore) CheckHistory(ctx context.Context, checkID string, sourceID int64, resourceID string, from, to time.Time) ([]assay.Transition, error) {
	if to.Before(from) {
		return nil, assay.Invalid("to", "The end of the period is before its start.")
	}
	out := []assay.Transition{}
	key, err := s.checkKey(ctx, checkID)
	if err != nil || key == 0 {
		return out, err
	}
	q := `SELECT r.source_id, r.resource_id, r.name, t.at, t.run_id, t.status, COALESCE(m.text, '')
		FROM monitor_transitions t JOIN monitor_resources r ON r.org_id = t.org_id AND r.id = t.resource_key
		LEFT JOIN monitor_reasons m ON m.org_id = t.org_id AND m.hash = t.reason_key
		WHERE t.org_id = ? AND t.check_key = ? AND t.at >= ? AND t.at <= ?`
	args := []any{s.orgID, key, from.Unix(), to.Unix()}
	if resourceID != "" {
		keys, err := s.resourceKeys(ctx, sourceID, resourceID)
		if err != nil || len(keys) == 0 {
			return out, err
		}
		q += ` AND t.resource_key IN (` + placeholders(len(keys)) + `)`
		for _, k := range keys {
			args = append(args, k)
		}
	} else if sourceID != 0 {
		q += ` AND r.source_id = ?`
		args = append(args, sourceID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY t.at, t.run_id, r.resource_id `+s.db.dialect.Binary()+` LIMIT 10000`, args...)
	if err != nil {
		return nil, fmt.Errorf("check history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t := assay.Transition{CheckID: checkID}
		var at int64
		var status uint8
		if err := rows.Scan(&t.SourceID, &t.ResourceID, &t.ResourceName, &at, &t.RunID, &status, &t.Reason); err != nil {
			return nil, fmt.Errorf("check history: %w", err)
		}
		t.At, t.Status = time.Unix(at, 0).UTC(), codeStatus(status)
		out = append(out, t)
	}
	return out, rows.Err()
}

// statusRank orders statuses from best to worst for StatusAt across sources.
var statusRank = map[assay.CheckStatus]int{"": 0, assay.CheckPass: 1, assay.CheckError: 2, assay.CheckFail: 3}

// StatusAt is the status of a check on a resource at a time.
func (s *orgStore) StatusAt(ctx context.Context, checkID string, sourceID int64, resourceID string, at time.Time) (assay.CheckStatus, string, error) {
	key, err := s.checkKey(ctx, checkID)
	if err != nil || key == 0 {
		return "", "", err
	}
	keys, err := s.resourceKeys(ctx, sourceID, resourceID)
	if err != nil {
		return "", "", err
	}
	var best assay.CheckStatus
	var bestReason string
	for _, rk := range keys {
		status, reason, err := s.statusAt(ctx, key, rk, at.Unix())
		if err != nil {
			return "", "", err
		}
		if statusRank[status] > statusRank[best] {
			best, bestReason = status, reason
		}
	}
	return best, bestReason, nil
}

func (s *orgStore) statusAt(ctx context.Context, check, resource, at int64) (assay.CheckStatus, string, error) {
	var status uint8
	var reason string
	err := s.db.queryRow(ctx, `SELECT t.status, COALESCE(m.text, '') FROM monitor_transitions t
		LEFT JOIN monitor_reasons m ON m.org_id = t.org_id AND m.hash = t.reason_key
		WHERE t.org_id = ? AND t.check_key = ? AND t.resource_key = ? AND t.at <= ? ORDER BY t.at DESC, t.run_id DESC LIMIT 1`,
		s.orgID, check, resource, at).Scan(&status, &reason)
	if err == nil {
		if status == codeGone {
			return "", "", nil
		}
		return codeStatus(status), reason, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("status at: %w", err)
	}
	// No change before at: the pair passed from its first sight (a pair first
	// seen failing has a transition then).
	var blob []byte
	if err := s.db.queryRow(ctx, `SELECT state FROM monitor_resources WHERE org_id = ? AND id = ?`, s.orgID, resource).Scan(&blob); err != nil {
		return "", "", fmt.Errorf("status at: %w", err)
	}
	entries, err := decodeState(nil, blob)
	if err != nil {
		return "", "", err
	}
	if i, ok := findEntry(entries, check); ok && entries[i].first <= at {
		return assay.CheckPass, "", nil
	}
	return "", "", nil
}

// CheckDays returns every check's daily results between from and to.
func (s *orgStore) CheckDays(ctx context.Context, from, to time.Time) (map[string][]assay.CheckDay, error) {
	if to.Before(from) {
		return nil, assay.Invalid("to", "The end of the period is before its start.")
	}
	rows, err := s.db.query(ctx, `SELECT c.check_id, d.day, d.pass, d.fail, d.error, COALESCE(m.text, '')
		FROM monitor_check_days d JOIN monitor_checks c ON c.org_id = d.org_id AND c.id = d.check_key
		LEFT JOIN monitor_reasons m ON m.org_id = d.org_id AND m.hash = d.reason_key
		WHERE d.org_id = ? AND d.day >= ? AND d.day <= ? ORDER BY c.check_id, d.day`,
		s.orgID, dayNumber(from), dayNumber(to))
	if err != nil {
		return nil, fmt.Errorf("check days: %w", err)
	}
	defer rows.Close()
	out := map[string][]assay.CheckDay{}
	for rows.Next() {
		var id string
		var day int64
		var d assay.CheckDay
		if err := rows.Scan(&id, &day, &d.Pass, &d.Fail, &d.Error, &d.Reason); err != nil {
			return nil, fmt.Errorf("check days: %w", err)
		}
		d.Day = time.Unix(day*86400, 0).UTC()
		out[id] = append(out[id], d)
	}
	return out, rows.Err()
}

// dayNumber is the UTC day of t, counted from 1970-01-01.
func dayNumber(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return (u - 86399) / 86400
	}
	return u / 86400
}

// CheckTotals reads the per-source totals the runs keep: see
// store.MonitorStore.
func (s *orgStore) CheckTotals(ctx context.Context) ([]assay.CheckTotal, error) {
	rows, err := s.db.query(ctx, `SELECT t.source_id, c.check_id, t.pass, t.fail, t.error FROM monitor_source_checks t
		JOIN monitor_checks c ON c.org_id = t.org_id AND c.id = t.check_key
		WHERE t.org_id = ? AND t.pass + t.fail + t.error > 0 ORDER BY c.check_id, t.source_id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("check totals: %w", err)
	}
	defer rows.Close()
	out := []assay.CheckTotal{}
	for rows.Next() {
		var t assay.CheckTotal
		if err := rows.Scan(&t.SourceID, &t.CheckID, &t.Pass, &t.Fail, &t.Error); err != nil {
			return nil, fmt.Errorf("check totals: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FailingByCheck counts the failing resources per check.
func (s *orgStore) FailingByCheck(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.query(ctx, `SELECT c.check_id, SUM(t.fail) FROM monitor_source_checks t
		JOIN monitor_checks c ON c.org_id = t.org_id AND c.id = t.check_key
		WHERE t.org_id = ? GROUP BY c.check_id HAVING SUM(t.fail) > 0`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("failing checks: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("failing checks: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
