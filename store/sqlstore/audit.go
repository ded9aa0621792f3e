package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

const auditColumns = `id, type, name, firm, status, as_of, period_start, period_end, scope_json, created_by_name, created_at, updated_at`

func scanAudit(row interface{ Scan(...any) error }) (assay.Audit, error) {
	var a assay.Audit
	var asOf, ps, pe sql.NullString
	var scope, created, updated string
	if err := row.Scan(&a.ID, &a.Type, &a.Name, &a.Firm, &a.Status, &asOf, &ps, &pe, &scope, &a.CreatedByName, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return a, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
		}
		return a, fmt.Errorf("scan audit: %w", err)
	}
	var err error
	for _, f := range []struct {
		dst **time.Time
		src sql.NullString
	}{{&a.AsOf, asOf}, {&a.PeriodStart, ps}, {&a.PeriodEnd, pe}} {
		if *f.dst, err = parseTimePtr(f.src); err != nil {
			return a, err
		}
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return a, err
	}
	if a.UpdatedAt, err = parseTime(updated); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(scope), &a.Scope); err != nil {
		return a, fmt.Errorf("audit %d scope: %w", a.ID, err)
	}
	return a, nil
}

// Audits lists the organisation's engagements, newest first.
func (s *orgStore) Audits(ctx context.Context) ([]assay.Audit, error) {
	rows, err := s.db.query(ctx, `SELECT `+auditColumns+` FROM audits WHERE org_id = ? ORDER BY id DESC`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list audits: %w", err)
	}
	defer rows.Close()
	out := []assay.Audit{}
	for rows.Next() {
		a, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Audit returns one engagement.
func (s *orgStore) Audit(ctx context.Context, id int64) (assay.Audit, error) {
	return scanAudit(s.db.queryRow(ctx, `SELECT `+auditColumns+` FROM audits WHERE org_id = ? AND id = ?`, s.orgID, id))
}

func (tx *Tx) audit(orgID, id int64) (assay.Audit, error) {
	return scanAudit(tx.queryRow(`SELECT `+auditColumns+` FROM audits WHERE org_id = ? AND id = ?`, orgID, id))
}

// freezeScope takes the snapshot: the categories in scope (security always),
// their criteria in catalog order, and the controls mapped to them with
// only their in-scope mappings.
func (s *orgStore) freezeScope(ctx context.Context, now time.Time) (assay.AuditScope, error) {
	org, err := s.Organization(ctx)
	if err != nil {
		return assay.AuditScope{}, err
	}
	controls, err := s.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return assay.AuditScope{}, err
	}
	sc := assay.AuditScope{FrozenAt: now, Categories: []string{}, Criteria: []string{}, Controls: []assay.AuditScopeControl{}}
	inScope := map[string]bool{}
	for _, cat := range assay.Categories {
		if !org.Scope.Has(cat) {
			continue
		}
		sc.Categories = append(sc.Categories, cat)
		for _, id := range s.db.byCategory[cat] {
			inScope[id] = true
			sc.Criteria = append(sc.Criteria, id)
		}
	}
	s.db.sortCriteria(sc.Criteria)
	for _, c := range controls {
		var crit []string
		for _, id := range c.Criteria {
			if inScope[id] {
				crit = append(crit, id)
			}
		}
		if len(crit) > 0 {
			sc.Controls = append(sc.Controls, assay.AuditScopeControl{ID: c.ID, Name: c.Name, Status: c.Status, Criteria: crit})
		}
	}
	slices.SortFunc(sc.Controls, func(a, b assay.AuditScopeControl) int { return compareStrings(a.ID, b.ID) })
	return sc, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CreateAudit records an engagement with its frozen scope.
func (s *orgStore) CreateAudit(ctx context.Context, actor assay.Actor, n assay.NewAudit) (assay.Audit, error) {
	if _, err := n.Validate(); err != nil {
		return assay.Audit{}, err
	}
	var a assay.Audit
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		scope, err := s.freezeScope(ctx, tx.now)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(scope)
		if err != nil {
			return fmt.Errorf("audit scope: %w", err)
		}
		a, err = scanAudit(tx.queryRow(`INSERT INTO audits (org_id, type, name, firm, status, as_of, period_start, period_end, scope_json, created_by_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+auditColumns,
			s.orgID, string(n.Type), n.Name, n.Firm, string(assay.AuditPlanned), formatTimePtr(n.AsOf), formatTimePtr(n.PeriodStart), formatTimePtr(n.PeriodEnd),
			string(raw), actor.Name, formatTime(tx.now), formatTime(tx.now)))
		if err != nil {
			return fmt.Errorf("insert audit: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.create", objectType: "audit", objectID: fmt.Sprint(a.ID),
			summary: fmt.Sprintf("Created the %s engagement %q with %s (%d controls in scope)", auditTypeLabel(a.Type), a.Name, a.Firm, len(scope.Controls)), after: a})
		return err
	})
	return a, err
}

func auditTypeLabel(t assay.AuditType) string {
	if t == assay.AuditType1 {
		return "Type I"
	}
	return "Type II"
}

// SetAuditStatus moves an engagement to another status.
func (s *orgStore) SetAuditStatus(ctx context.Context, actor assay.Actor, id int64, status assay.AuditStatus) (assay.Audit, error) {
	if !status.Valid() {
		return assay.Audit{}, assay.Invalid("status", "Unknown status %q; use planned, fieldwork, reporting or closed.", status)
	}
	var after assay.Audit
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.audit(s.orgID, id)
		if err != nil {
			return err
		}
		if before.Status == assay.AuditClosed {
			return assay.Errorf(assay.ECONFLICT, "The engagement is closed.")
		}
		if before.Status == status {
			return assay.Invalid("status", "The engagement is already %s.", status)
		}
		if _, err := tx.exec(`UPDATE audits SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`, string(status), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update audit: %w", err)
		}
		after = before
		after.Status, after.UpdatedAt = status, tx.now
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.status", objectType: "audit", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Moved %q from %s to %s", before.Name, before.Status, status), before: before, after: after})
		return err
	})
	return after, err
}

// InviteAuditor creates an auditor account limited to one engagement.
func (s *orgStore) InviteAuditor(ctx context.Context, actor assay.Actor, auditID int64, n assay.NewUser, passwordHash string, expires time.Time) (assay.User, error) {
	n.Role = assay.RoleAuditor
	if err := n.Validate(); err != nil {
		return assay.User{}, err
	}
	if passwordHash == "" {
		return assay.User{}, fmt.Errorf("invite auditor: empty password hash")
	}
	expires = expires.UTC().Truncate(time.Microsecond)
	now := s.db.clock.Now()
	if !expires.After(now) {
		return assay.User{}, assay.Invalid("expires", "The access must end in the future.")
	}
	if expires.After(now.AddDate(2, 0, 0)) {
		return assay.User{}, assay.Invalid("expires", "Auditor access may last at most two years.")
	}
	var u assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, auditID)
		if err != nil {
			return err
		}
		if a.Status == assay.AuditClosed {
			return assay.Errorf(assay.ECONFLICT, "The engagement is closed.")
		}
		u, err = scanUser(tx.queryRow(`INSERT INTO users (org_id, email, name, role, password_hash, disabled, created_at, engagement_id, access_expires_at)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING `+userColumns, s.orgID, n.Email, n.Name, string(assay.RoleAuditor), passwordHash,
			formatTime(tx.now), auditID, formatTime(expires)))
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(errors.Unwrap(err))) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "A user with email %s already exists.", n.Email)
			}
			return fmt.Errorf("insert auditor: %w", err)
		}
		// user.create, so that the ledger's replay of users sees it.
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "user.create", objectType: "user", objectID: fmt.Sprint(u.ID),
			summary: fmt.Sprintf("Invited %s (%s) as auditor for %q until %s", u.Name, u.Email, a.Name, expires.Format("2006-01-02 15:04 MST")), after: u})
		return err
	})
	return u, err
}
