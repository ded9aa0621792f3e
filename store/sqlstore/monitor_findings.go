package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// findingsDone is what a run did to findings and corrective actions.
type findingsDone struct {
	opened, closed, openedActions, doneActions []int64
}

type openFinding struct{ id, action int64 }

type newFinding struct {
	check    *runCheck
	id       int64
	action   int64 // its corrective action
	severity assay.CheckSeverity
	meta     store.CheckMeta
	owner    int64
	resKey   int64
	resID    string
	name     string
	reason   string
	failing  int
}

// findings keeps one finding per (source, check) open while any resource of
// the source fails the check: it opens one (and its corrective action)
// when the first resource starts failing, and closes it (marking the
// action done) when none fails any more. The finding names the resource
// that opened it; the failing count comes from the current totals.
func (a *runApply) findings(actor assay.Actor, meta map[string]store.CheckMeta) (findingsDone, error) {
	var f findingsDone
	tx, org := a.tx, a.s.orgID
	open := map[int64]openFinding{}
	rows, err := tx.query(`SELECT id, check_key, corrective_action_id FROM monitor_findings WHERE org_id = ? AND source_id = ? AND closed_at IS NULL`,
		org, a.run.SourceID)
	if err != nil {
		return f, fmt.Errorf("open findings: %w", err)
	}
	for rows.Next() {
		var o openFinding
		var k int64
		if err := rows.Scan(&o.id, &k, &o.action); err != nil {
			rows.Close()
			return f, fmt.Errorf("open findings: %w", err)
		}
		open[k] = o
	}
	if err := rows.Close(); err != nil {
		return f, fmt.Errorf("open findings: %w", err)
	}
	firstFail := map[int64]int{}
	for i, ch := range a.changes {
		if ch.To == assay.CheckFail {
			if _, ok := firstFail[a.changeKey[i]]; !ok {
				firstFail[a.changeKey[i]] = i
			}
		}
	}

	var owners map[string]int64
	var fresh []newFinding
	var closeFinding, closeAction *sql.Stmt
	started := formatTime(a.run.StartedAt)
	keys := make([]int64, 0, len(a.byKey))
	for k := range a.byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		c := a.byKey[k]
		failing := c.cur[codeFail]
		if a.delta {
			failing = c.fail
		}
		o, isOpen := open[k]
		switch {
		case failing > 0 && !isOpen:
			if owners == nil {
				if owners, err = a.controlOwners(); err != nil {
					return f, err
				}
			}
			m := meta[c.id]
			n := newFinding{check: c, meta: m, severity: m.Severity, failing: failing,
				reason: fmt.Sprintf("%d resources fail check %s.", failing, c.id)}
			if !n.severity.Valid() {
				n.severity = assay.SeverityMedium
			}
			if i, ok := firstFail[k]; ok {
				n.resKey, n.resID, n.name, n.reason = a.changeRes[i].key, a.changes[i].Resource, a.changes[i].Name, a.changes[i].Reason
			}
			for _, id := range m.Controls {
				if owner := owners[id]; owner != 0 {
					n.owner = owner
					break
				}
			}
			fresh = append(fresh, n)
		case failing == 0 && isOpen:
			if closeFinding == nil {
				if closeFinding, err = tx.PrepareContext(tx.ctx, tx.db.q(`UPDATE monitor_findings SET closed_at = ?, closed_run_id = ? WHERE org_id = ? AND id = ?`)); err != nil {
					return f, fmt.Errorf("close findings: %w", err)
				}
				defer closeFinding.Close()
				if closeAction, err = tx.PrepareContext(tx.ctx, tx.db.q(`UPDATE corrective_actions SET status = 'done', verification_notes = ?, updated_at = ?
					WHERE org_id = ? AND id = ? AND status IN ('open', 'in_progress')`)); err != nil {
					return f, fmt.Errorf("close corrective actions: %w", err)
				}
				defer closeAction.Close()
			}
			if _, err := closeFinding.ExecContext(tx.ctx, started, a.run.ID, org, o.id); err != nil {
				return f, fmt.Errorf("close finding %d: %w", o.id, err)
			}
			note := fmt.Sprintf("Check passes again: no resource of the source fails it (run %d).", a.run.ID)
			res, err := closeAction.ExecContext(tx.ctx, note, formatTime(tx.now), org, o.action)
			if err != nil {
				return f, fmt.Errorf("close corrective action %d: %w", o.action, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				f.doneActions = append(f.doneActions, o.action)
			}
			f.closed = append(f.closed, o.id)
		}
	}
	if len(fresh) == 0 {
		return f, nil
	}

	// Finding ids are assigned here: every writer holds the writers' lock
	// (db.update), so the next id is free.
	var maxID int64
	if err := tx.queryRow(`SELECT COALESCE(MAX(id), 0) FROM monitor_findings`).Scan(&maxID); err != nil {
		return f, fmt.Errorf("finding ids: %w", err)
	}
	for i := range fresh {
		fresh[i].id = maxID + 1 + int64(i)
		n := &fresh[i]
		title := n.meta.Title
		if title == "" {
			title = n.check.id
		}
		action := strings.TrimSpace(n.meta.Remediation)
		if action == "" {
			action = fmt.Sprintf("Make check %s pass again on every resource of the source.", n.check.id)
		}
		where := "the source"
		if n.name != "" {
			where = n.name
		}
		var id int64
		err := tx.queryRow(`INSERT INTO corrective_actions (org_id, source, source_ref, title, root_cause, action, owner_id, due_date,
			status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			org, string(assay.SourceFailingCheck), fmt.Sprintf("finding:%d", n.id),
			clip(fmt.Sprintf("Failing check: %s (first on %s)", title, where), assay.MaxIncidentTitle*5), clip(n.reason, assay.MaxIncidentText),
			clip(action, assay.MaxIncidentText), nullInt(n.owner), formatTime(assay.FindingDue(a.run.StartedAt, n.severity)),
			string(assay.CorrectiveOpen), formatTime(tx.now), formatTime(tx.now)).Scan(&id)
		if err != nil {
			return f, fmt.Errorf("open corrective action: %w", err)
		}
		n.action = id
		f.openedActions = append(f.openedActions, id)
		controls, err := json.Marshal(nonNil(n.meta.Controls))
		if err != nil {
			return f, err
		}
		if _, err := tx.exec(`INSERT INTO monitor_findings (id, org_id, check_key, check_id, source_id, resource_key, resource_id, resource_name,
			severity, controls_json, owner_id, reason, opened_at, opened_run_id, corrective_action_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.id, org, n.check.key, n.check.id, a.run.SourceID, n.resKey, n.resID, n.name, string(n.severity), string(controls), nullInt(n.owner),
			n.reason, started, a.run.ID, n.action); err != nil {
			return f, fmt.Errorf("open finding: %w", err)
		}
		f.opened = append(f.opened, n.id)
	}
	return f, nil
}

// controlOwners maps each control of the organisation to its owner, when
// the owner can own a corrective action (an active admin or member).
func (a *runApply) controlOwners() (map[string]int64, error) {
	rows, err := a.tx.query(`SELECT c.id, c.owner_id FROM controls c JOIN users u ON u.org_id = c.org_id AND u.id = c.owner_id
		WHERE c.org_id = ? AND u.disabled = 0 AND u.role IN ('admin', 'member')`, a.s.orgID)
	if err != nil {
		return nil, fmt.Errorf("control owners: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var owner int64
		if err := rows.Scan(&id, &owner); err != nil {
			return nil, fmt.Errorf("control owners: %w", err)
		}
		out[id] = owner
	}
	return out, rows.Err()
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const findingColumns = `f.id, f.check_id, f.source_id, f.resource_id, f.resource_name, f.severity, f.controls_json, f.owner_id, COALESCE(u.name, ''),
	f.reason, f.opened_at, f.closed_at, f.opened_run_id, f.closed_run_id, f.corrective_action_id, CASE WHEN f.closed_at IS NULL THEN COALESCE(sc.fail, 0) ELSE 0 END`

// Findings lists findings, newest first.
func (s *orgStore) Findings(ctx context.Context, openOnly bool) ([]assay.Finding, error) {
	q := `SELECT ` + findingColumns + ` FROM monitor_findings f LEFT JOIN users u ON u.org_id = f.org_id AND u.id = f.owner_id
		LEFT JOIN monitor_source_checks sc ON sc.org_id = f.org_id AND sc.source_id = f.source_id AND sc.check_key = f.check_key WHERE f.org_id = ?`
	if openOnly {
		q += ` AND f.closed_at IS NULL`
	}
	rows, err := s.db.query(ctx, q+` ORDER BY f.id DESC LIMIT 10000`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	out := []assay.Finding{}
	for rows.Next() {
		var f assay.Finding
		var controls, opened string
		var owner, closedRun sql.NullInt64
		var closed sql.NullString
		if err := rows.Scan(&f.ID, &f.CheckID, &f.SourceID, &f.ResourceID, &f.ResourceName, &f.Severity, &controls, &owner, &f.OwnerName,
			&f.Reason, &opened, &closed, &f.OpenedRunID, &closedRun, &f.CorrectiveActionID, &f.Failing); err != nil {
			return nil, fmt.Errorf("scan finding: %w", err)
		}
		f.OwnerID, f.ClosedRunID = owner.Int64, closedRun.Int64
		if err := json.Unmarshal([]byte(controls), &f.Controls); err != nil {
			return nil, fmt.Errorf("finding %d controls: %w", f.ID, err)
		}
		if f.OpenedAt, err = parseTime(opened); err != nil {
			return nil, err
		}
		if f.ClosedAt, err = parseTimePtr(closed); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
