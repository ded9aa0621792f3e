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

// DeleteCustomCheck removes a custom check; its history stays.
func (s *orgStore) DeleteCustomCheck(ctx context.Context, actor assay.Actor, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.customCheck(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`DELETE FROM monitor_custom_checks WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete custom check: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.check.delete", objectType: "monitor_check", objectID: id,
			summary: fmt.Sprintf("Custom check %s removed", id), before: before})
		return err
	})
}
