package sqlstore

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// batchRows is how many rows one multi-row INSERT carries (within both
// backends' parameter limits).
const batchRows = 400

// insertBatches runs "prefix VALUES (...), (...) suffix" over n rows of
// cols values each, taking each row's values from row(i, dst).
func (tx *Tx) insertBatches(prefix, suffix string, cols, n int, row func(i int, dst []any) []any, scan func(rows rowsScanner) error) error {
	one := "(" + placeholders(cols) + ")"
	args := make([]any, 0, batchRows*cols)
	var full *sql.Stmt // the statement for a full batch, parsed once
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < n; start += batchRows {
		end := min(start+batchRows, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		q := tx.db.q(prefix + " VALUES " + strings.Repeat(one+", ", end-start-1) + one + " " + suffix)
		var stmt *sql.Stmt
		if end-start == batchRows {
			if full == nil {
				var err error
				if full, err = tx.PrepareContext(tx.ctx, q); err != nil {
					return err
				}
			}
			stmt = full
		}
		if scan == nil {
			var err error
			if stmt != nil {
				_, err = stmt.ExecContext(tx.ctx, args...)
			} else {
				_, err = tx.ExecContext(tx.ctx, q, args...)
			}
			if err != nil {
				return err
			}
			continue
		}
		var rows *sql.Rows
		var err error
		if stmt != nil {
			rows, err = stmt.QueryContext(tx.ctx, args...)
		} else {
			rows, err = tx.QueryContext(tx.ctx, q, args...)
		}
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

type rowsScanner interface{ Scan(...any) error }

// streamRows is how many transitions PostgreSQL is sent at a time while a
// run is still being evaluated (with the monitor_failing rows they change).
const streamRows = 20_000

// streamTransitions writes the transitions noted so far, and their
// monitor_failing rows, once there are streamRows of them (PostgreSQL):
// the server's work overlaps the evaluation's instead of following it.
// Transitions of resources not yet inserted wait in a.fresh.
func (a *runApply) streamTransitions() error {
	if len(a.transitions) < streamRows || !a.tx.db.dialect.Numbered() {
		return nil
	}
	return a.writeTransitions()
}

// writeTransitions writes the pending transitions in index order (check,
// then resource: each check's new rows go to one place in the tables'
// b-trees instead of one page per row) and applies them to
// monitor_failing.
func (a *runApply) writeTransitions() error {
	tx, org := a.tx, a.s.orgID
	slices.SortFunc(a.transitions, func(x, y pendingTransition) int {
		if c := cmp.Compare(x.check, y.check); c != 0 {
			return c
		}
		return cmp.Compare(x.res.key, y.res.key)
	})
	var err error
	if tx.db.dialect.Numbered() {
		err = a.insertTransitionsArrays(a.transitions)
	} else {
		err = tx.insertBatches(`INSERT INTO monitor_transitions (org_id, check_key, resource_key, run_id, at, status, reason_key)`, ``,
			7, len(a.transitions), func(i int, dst []any) []any {
				t := a.transitions[i]
				return append(dst, org, t.check, t.res.key, a.run.ID, a.at, int64(t.status), t.reason)
			}, nil)
	}
	if err != nil {
		return fmt.Errorf("insert transitions: %w", err)
	}
	if err := a.applyFailing(); err != nil {
		return err
	}
	if len(a.transitions) > 0 {
		a.sentTransitions = true
	}
	a.transitions = a.transitions[:0]
	return nil
}

// write stores what apply found: new resources, reasons, transitions,
// changed states, the daily roll-up and the current totals.
func (a *runApply) write() error {
	tx, org := a.tx, a.s.orgID
	var fresh []*runResource
	for _, r := range a.resources {
		if r.isNew {
			fresh = append(fresh, r)
		}
	}
	err := tx.insertBatches(`INSERT INTO monitor_resources (org_id, source_id, resource_id, kind, name, first_seen, gone_at, state)`, `RETURNING id, resource_id`,
		8, len(fresh), func(i int, dst []any) []any {
			r := fresh[i]
			return append(dst, org, a.run.SourceID, r.id, r.kind, r.name, r.first, r.goneAt, r.blob)
		}, func(rows rowsScanner) error {
			var key int64
			var id string
			if err := rows.Scan(&key, &id); err != nil {
				return err
			}
			a.byID[id].key = key
			return nil
		})
	if err != nil {
		return fmt.Errorf("insert resources: %w", err)
	}
	a.mark("write new resources")
	a.transitions = append(a.transitions, a.fresh...) // their resources have keys now
	a.fresh = nil

	keys := make([]int64, 0, len(a.reasons))
	for k := range a.reasons {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	err = tx.insertBatches(`INSERT INTO monitor_reasons (org_id, hash, text)`, `ON CONFLICT (org_id, hash) DO NOTHING`,
		3, len(keys), func(i int, dst []any) []any { return append(dst, org, keys[i], a.reasons[keys[i]]) }, nil)
	if err != nil {
		return fmt.Errorf("insert reasons: %w", err)
	}

	if err := a.writeTransitions(); err != nil {
		return err
	}
	if err := a.writeFailing(); err != nil {
		return err
	}
	a.mark("write reasons, transitions and failing pairs")

	if err := a.updateStates(); err != nil {
		return err
	}
	a.mark("write states")
	day := a.at / 86400
	var ran []*runCheck
	for _, c := range a.checks {
		if c.pass+c.fail+c.errs > 0 {
			ran = append(ran, c)
		}
	}
	slices.SortFunc(ran, func(x, y *runCheck) int { return int(x.key - y.key) })
	err = tx.insertBatches(`INSERT INTO monitor_check_days (org_id, check_key, day, pass, fail, error, reason_key)`,
		`ON CONFLICT (org_id, check_key, day) DO UPDATE SET pass = monitor_check_days.pass + excluded.pass,
		fail = monitor_check_days.fail + excluded.fail, error = monitor_check_days.error + excluded.error,
		reason_key = CASE WHEN monitor_check_days.reason_key = 0 THEN excluded.reason_key ELSE monitor_check_days.reason_key END`,
		7, len(ran), func(i int, dst []any) []any {
			c := ran[i]
			return append(dst, org, c.key, day, c.pass, c.fail, c.errs, c.example)
		}, nil)
	if err != nil {
		return fmt.Errorf("daily roll-up: %w", err)
	}
	if a.delta {
		return nil // a partial run cannot recount the totals
	}
	if _, err := tx.exec(`DELETE FROM monitor_source_checks WHERE org_id = ? AND source_id = ?`, org, a.run.SourceID); err != nil {
		return fmt.Errorf("clear totals: %w", err)
	}
	var counted []*runCheck
	for _, c := range a.checks {
		if c.touched && c.cur[codePass]+c.cur[codeFail]+c.cur[codeError] > 0 {
			counted = append(counted, c)
		}
	}
	err = tx.insertBatches(`INSERT INTO monitor_source_checks (org_id, source_id, check_key, pass, fail, error)`, ``,
		6, len(counted), func(i int, dst []any) []any {
			c := counted[i]
			return append(dst, org, a.run.SourceID, c.key, c.cur[codePass], c.cur[codeFail], c.cur[codeError])
		}, nil)
	if err != nil {
		return fmt.Errorf("totals: %w", err)
	}
	return nil
}
