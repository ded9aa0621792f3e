package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/assay-platform/assay"
)

const customCheckColumns = `id, title, kind, expr, severity, reason, remediation, controls_json`

func scanCustomCheck(row interface{ Scan(...any) error }) (assay.Check, error) {
	c := assay.Check{Custom: true}
	var controls string
	err := row.Scan(&c.ID, &c.Title, &c.Kind, &c.Expr, &c.Severity, &c.Reason, &c.Remediation, &controls)
	if errors.Is(err, sql.ErrNoRows) {
		return c, assay.Errorf(assay.ENOTFOUND, "Custom check not found.")
	} else if err != nil {
		return c, fmt.Errorf("scan custom check: %w", err)
	}
	if err := json.Unmarshal([]byte(controls), &c.Controls); err != nil {
		return c, fmt.Errorf("custom check %s controls: %w", c.ID, err)
	}
	return c, nil
}

func (s *orgStore) customCheck(ctx context.Context, q rowQuerier, id string) (assay.Check, error) {
	return scanCustomCheck(q.QueryRowContext(ctx, s.db.q(`SELECT `+customCheckColumns+` FROM monitor_custom_checks WHERE org_id = ? AND id = ?`), s.orgID, id))
}

// CustomChecks lists the organisation's custom checks by id.
func (s *orgStore) CustomChecks(ctx context.Context) ([]assay.Check, error) {
	rows, err := s.db.query(ctx, `SELECT `+customCheckColumns+` FROM monitor_custom_checks WHERE org_id = ? ORDER BY id `+s.db.dialect.Binary(), s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list custom checks: %w", err)
	}
	defer rows.Close()
	out := []assay.Check{}
	for rows.Next() {
		c, err := scanCustomCheck(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// requireControls fails unless every control exists in the organisation.
func (s *orgStore) requireControls(tx *Tx, ids []string) error {
	for _, id := range ids {
		var one int
		err := tx.queryRow(`SELECT 1 FROM controls WHERE org_id = ? AND id = ?`, s.orgID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Invalid("controls", "There is no control %q in this organisation.", id)
		} else if err != nil {
			return fmt.Errorf("control %s: %w", id, err)
		}
	}
	return nil
}

func checkControls(c *assay.Check) (string, error) {
	c.Controls = slices.Compact(slices.Sorted(slices.Values(c.Controls)))
	b, err := json.Marshal(c.Controls)
	return string(b), err
}

// CreateCustomCheck stores a custom check (its expression compiled by the caller).
func (s *orgStore) CreateCustomCheck(ctx context.Context, actor assay.Actor, c assay.Check) (assay.Check, error) {
	if err := assay.ValidateCustomCheck(&c); err != nil {
		return assay.Check{}, err
	}
	controls, err := checkControls(&c)
	if err != nil {
		return assay.Check{}, err
	}
	var out assay.Check
	err = s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if err := s.requireControls(tx, c.Controls); err != nil {
			return err
		}
		if _, err := s.customCheck(tx.ctx, tx.Tx, c.ID); err == nil {
			return assay.Errorf(assay.ECONFLICT, "There is already a custom check %s.", c.ID)
		} else if assay.ErrorCode(err) != assay.ENOTFOUND {
			return err
		}
		now := formatTime(tx.now)
		if _, err := tx.exec(`INSERT INTO monitor_custom_checks (org_id, id, title, kind, expr, severity, reason, remediation, controls_json, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.orgID, c.ID, c.Title, c.Kind, c.Expr, string(c.Severity), c.Reason, c.Remediation, controls, now, now); err != nil {
			return fmt.Errorf("insert custom check: %w", err)
		}
		var err error
		if out, err = s.customCheck(tx.ctx, tx.Tx, c.ID); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.check.create", objectType: "monitor_check", objectID: c.ID,
			summary: fmt.Sprintf("Custom check %s added: %s", c.ID, c.Title), after: out})
		return err
	})
	return out, err
}

// UpdateCustomCheck replaces a custom check's definition (its id stays).
func (s *orgStore) UpdateCustomCheck(ctx context.Context, actor assay.Actor, id string, c assay.Check) (assay.Check, error) {
	c.ID = id
	if err := assay.ValidateCustomCheck(&c); err != nil {
		return assay.Check{}, err
	}
	controls, err := checkControls(&c)
	if err != nil {
		return assay.Check{}, err
	}
	var out assay.Check
	err = s.db.update(ctx, func(tx *Tx) error {
		before, err := s.customCheck(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if err := s.requireControls(tx, c.Controls); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE monitor_custom_checks SET title = ?, kind = ?, expr = ?, severity = ?, reason = ?, remediation = ?, controls_json = ?,
			updated_at = ? WHERE org_id = ? AND id = ?`, c.Title, c.Kind, c.Expr, string(c.Severity), c.Reason, c.Remediation, controls,
			formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update custom check: %w", err)
		}
		if out, err = s.customCheck(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.check.update", objectType: "monitor_check", objectID: id,
			summary: fmt.Sprintf("Custom check %s changed", id), before: before, after: out})
		return err
	})
	return out, err
}

// deletedCheck is the after-state of a custom check's deletion: what it
// ended.
type deletedCheck struct {
	Check          assay.Check `json:"check"`
	EndedResults   int         `json:"ended_results"`
	ClosedFindings []int64     `json:"closed_findings,omitempty"`
	DoneActions    []int64     `json:"done_corrective_actions,omitempty"`
}

// DeleteCustomCheck removes a custom check. Its history (transitions and
// daily roll-ups) stays. What it says now ends: every current result of
// the check moves to gone (a transition with run 0, as no run saw it), so
// it no longer counts as failing anywhere, and its open findings close,
// their open corrective actions marked done with a note saying why. A
// check created again later with the same id starts afresh.
func (s *orgStore) DeleteCustomCheck(ctx context.Context, actor assay.Actor, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.customCheck(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM monitor_custom_checks WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete custom check: %w", err)
		}
		done := deletedCheck{Check: before}
		if done.EndedResults, err = s.endCheckResults(tx, id); err != nil {
			return err
		}
		if done.ClosedFindings, done.DoneActions, err = s.closeCheckFindings(tx, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("Custom check %s removed", id)
		if len(done.ClosedFindings) > 0 {
			summary += fmt.Sprintf("; %d open findings closed", len(done.ClosedFindings))
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.check.delete", objectType: "monitor_check", objectID: id,
			summary: summary, before: before, after: done})
		return err
	})
}

// endCheckResults moves every current result of a check to gone, with a
// transition at the transaction's time (run 0), and drops the check from
// the per-source totals. A resource with no current result left is gone.
func (s *orgStore) endCheckResults(tx *Tx, checkID string) (int, error) {
	var key int64
	err := tx.queryRow(`SELECT id FROM monitor_checks WHERE org_id = ? AND check_id = ?`, s.orgID, checkID).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil // it never had a result
	} else if err != nil {
		return 0, fmt.Errorf("check key %s: %w", checkID, err)
	}
	type changed struct {
		key    int64
		blob   []byte
		goneAt sql.NullInt64
	}
	var list []changed
	at := tx.now.Unix()
	rows, err := tx.query(`SELECT id, state FROM monitor_resources WHERE org_id = ? AND gone_at IS NULL`, s.orgID)
	if err != nil {
		return 0, fmt.Errorf("resources of check %s: %w", checkID, err)
	}
	var entries []stateEntry
	for rows.Next() {
		var rk int64
		var blob []byte
		if err := rows.Scan(&rk, &blob); err != nil {
			rows.Close()
			return 0, fmt.Errorf("resources of check %s: %w", checkID, err)
		}
		if entries, err = decodeState(entries[:0], blob); err != nil {
			rows.Close()
			return 0, fmt.Errorf("resource %d: %w", rk, err)
		}
		i, ok := findEntry(entries, key)
		if !ok || entries[i].status == codeGone {
			continue
		}
		entries[i].status, entries[i].reason, entries[i].since = codeGone, 0, at
		c := changed{key: rk, blob: encodeState(nil, entries)}
		if !slices.ContainsFunc(entries, func(e stateEntry) bool { return e.status != codeGone }) {
			c.goneAt = sql.NullInt64{Int64: at, Valid: true}
		}
		list = append(list, c)
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("resources of check %s: %w", checkID, err)
	}
	for _, c := range list {
		if _, err := tx.exec(`UPDATE monitor_resources SET state = ?, gone_at = ? WHERE org_id = ? AND id = ?`, c.blob, c.goneAt, s.orgID, c.key); err != nil {
			return 0, fmt.Errorf("end result of check %s: %w", checkID, err)
		}
		if _, err := tx.exec(`INSERT INTO monitor_transitions (org_id, check_key, resource_key, run_id, at, status, reason_key) VALUES (?, ?, ?, 0, ?, ?, 0)`,
			s.orgID, key, c.key, at, int64(codeGone)); err != nil {
			return 0, fmt.Errorf("end result of check %s: %w", checkID, err)
		}
	}
	if _, err := tx.exec(`DELETE FROM monitor_failing WHERE org_id = ? AND check_key = ?`, s.orgID, key); err != nil {
		return 0, fmt.Errorf("failing pairs of check %s: %w", checkID, err)
	}
	if err := tx.bumpFailing(s.orgID); err != nil {
		return 0, err
	}
	if _, err := tx.exec(`DELETE FROM monitor_source_checks WHERE org_id = ? AND check_key = ?`, s.orgID, key); err != nil {
		return 0, fmt.Errorf("totals of check %s: %w", checkID, err)
	}
	return len(list), nil
}

// closeCheckFindings closes a deleted check's open findings and marks
// their open corrective actions done.
func (s *orgStore) closeCheckFindings(tx *Tx, checkID string) (closed, done []int64, err error) {
	rows, err := tx.query(`SELECT id, corrective_action_id FROM monitor_findings WHERE org_id = ? AND check_id = ? AND closed_at IS NULL ORDER BY id`,
		s.orgID, checkID)
	if err != nil {
		return nil, nil, fmt.Errorf("open findings of %s: %w", checkID, err)
	}
	var actions []int64
	for rows.Next() {
		var f, a int64
		if err := rows.Scan(&f, &a); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("open findings of %s: %w", checkID, err)
		}
		closed, actions = append(closed, f), append(actions, a)
	}
	if err := rows.Close(); err != nil {
		return nil, nil, fmt.Errorf("open findings of %s: %w", checkID, err)
	}
	now := formatTime(tx.now)
	note := fmt.Sprintf("Check %s was deleted, so nothing tests this any more; the finding closed with it.", checkID)
	for i, f := range closed {
		if _, err := tx.exec(`UPDATE monitor_findings SET closed_at = ? WHERE org_id = ? AND id = ?`, now, s.orgID, f); err != nil {
			return nil, nil, fmt.Errorf("close finding %d: %w", f, err)
		}
		res, err := tx.exec(`UPDATE corrective_actions SET status = 'done', verification_notes = ?, updated_at = ?
			WHERE org_id = ? AND id = ? AND status IN ('open', 'in_progress')`, note, now, s.orgID, actions[i])
		if err != nil {
			return nil, nil, fmt.Errorf("close corrective action %d: %w", actions[i], err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			done = append(done, actions[i])
		}
	}
	return closed, done, nil
}
