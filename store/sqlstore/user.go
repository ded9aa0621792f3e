package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

const userColumns = `id, org_id, email, name, role, disabled, created_at, last_login_at, engagement_id, access_expires_at, external_id, given_name, family_name, deactivated_at`

// userColumnsOf is userColumns qualified by a table alias, for joins.
func userColumnsOf(alias string) string {
	cols := strings.Split(userColumns, ", ")
	for i := range cols {
		cols[i] = alias + "." + cols[i]
	}
	return strings.Join(cols, ", ")
}

func scanUser(row interface{ Scan(...any) error }, extra ...any) (assay.User, error) {
	var u assay.User
	var disabled int
	var created string
	var last, expires, external, deactivated sql.NullString
	var engagement sql.NullInt64
	dest := append([]any{&u.ID, &u.OrgID, &u.Email, &u.Name, &u.Role, &disabled, &created, &last, &engagement, &expires,
		&external, &u.GivenName, &u.FamilyName, &deactivated}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return u, assay.Errorf(assay.ENOTFOUND, "User not found.")
		}
		return u, fmt.Errorf("scan user: %w", err)
	}
	u.Disabled = disabled != 0
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return u, err
	}
	if u.LastLoginAt, err = parseTimePtr(last); err != nil {
		return u, err
	}
	u.EngagementID = engagement.Int64
	u.ExternalID = external.String
	if u.DeactivatedAt, err = parseTimePtr(deactivated); err != nil {
		return u, err
	}
	u.AccessExpiresAt, err = parseTimePtr(expires)
	return u, err
}

// CountUsers counts every user in the database (first-run detection).
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// UserByEmail returns a user and their password hash, for sign-in.
func (db *DB) UserByEmail(ctx context.Context, email string) (assay.User, string, error) {
	var hash string
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = ?`, email), &hash)
	return u, hash, err
}

func (s *orgStore) Users(ctx context.Context) ([]assay.User, error) {
	rows, err := s.db.query(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = ? ORDER BY name `+s.db.dialect.Binary()+`, id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []assay.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *orgStore) User(ctx context.Context, id int64) (assay.User, error) {
	return scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE org_id = ? AND id = ?`, s.orgID, id))
}

func (tx *Tx) user(orgID, id int64) (assay.User, error) {
	return scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE org_id = ? AND id = ?`, orgID, id))
}

// CreateUser adds a person to the organisation.
func (s *orgStore) CreateUser(ctx context.Context, actor assay.Actor, n assay.NewUser, passwordHash string) (assay.User, error) {
	if err := n.Validate(); err != nil {
		return assay.User{}, err
	}
	if passwordHash == "" {
		return assay.User{}, fmt.Errorf("create user: empty password hash")
	}
	var u assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var err error
		u, err = scanUser(tx.queryRow(`INSERT INTO users (org_id, email, name, role, password_hash, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING `+userColumns, s.orgID, n.Email, n.Name, string(n.Role), passwordHash, formatTime(tx.now)))
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(errors.Unwrap(err))) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "A user with email %s already exists.", n.Email)
			}
			return fmt.Errorf("insert user: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "user.create", objectType: "user", objectID: fmt.Sprint(u.ID),
			summary: fmt.Sprintf("Added %s (%s) as %s", u.Name, u.Email, u.Role), after: u})
		return err
	})
	return u, err
}

// UpdateUserRole changes a user's role. The last active admin keeps theirs.
func (s *orgStore) UpdateUserRole(ctx context.Context, actor assay.Actor, id int64, role assay.Role) (assay.User, error) {
	if !role.Valid() {
		return assay.User{}, assay.Invalid("role", "Unknown role %q; use admin, member, auditor or viewer.", role)
	}
	var after assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.user(s.orgID, id)
		if err != nil {
			return err
		}
		if before.Role == assay.RoleAdmin && role != assay.RoleAdmin {
			if err := tx.keepOneAdmin(s.orgID, id); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE users SET role = ? WHERE org_id = ? AND id = ?`, string(role), s.orgID, id); err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		after = before
		after.Role = role
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "user.role", objectType: "user", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Changed %s's role from %s to %s", before.Name, before.Role, role), before: before, after: after})
		return err
	})
	return after, err
}

func (tx *Tx) keepOneAdmin(orgID, exceptID int64) error {
	var n int
	if err := tx.queryRow(`SELECT COUNT(*) FROM users WHERE org_id = ? AND role = 'admin' AND disabled = 0 AND id <> ?`, orgID, exceptID).Scan(&n); err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if n == 0 {
		return assay.Errorf(assay.ECONFLICT, "This is the last active admin; make someone else admin first.")
	}
	return nil
}

// SetUserDisabled disables or enables an account; disabling ends its sessions.
func (s *orgStore) SetUserDisabled(ctx context.Context, actor assay.Actor, id int64, disabled bool) (assay.User, error) {
	var after assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.user(s.orgID, id)
		if err != nil {
			return err
		}
		if disabled && before.Role == assay.RoleAdmin {
			if err := tx.keepOneAdmin(s.orgID, id); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE users SET disabled = ? WHERE org_id = ? AND id = ?`, boolInt(disabled), s.orgID, id); err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if disabled {
			// Their API tokens are refused while they are disabled and
			// work again when they are enabled; their sessions end.
			if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
			if _, err := tx.exec(`UPDATE users SET deactivated_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, id); err != nil {
				return fmt.Errorf("disable user: %w", err)
			}
		}
		after = before
		after.Disabled = disabled
		if disabled {
			now := tx.now
			after.DeactivatedAt = &now
		}
		action, verb := "user.enable", "Enabled"
		if disabled {
			action, verb = "user.disable", "Disabled"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "user", objectID: fmt.Sprint(id),
			summary: verb + " " + before.Name, before: before, after: after})
		return err
	})
	return after, err
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *orgStore) SetPassword(ctx context.Context, actor assay.Actor, id int64, passwordHash string) error {
	if passwordHash == "" {
		return fmt.Errorf("set password: empty hash")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE org_id = ? AND id = ?`, passwordHash, s.orgID, id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		// The hash itself never enters the audit trail.
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "user.password", objectType: "user", objectID: fmt.Sprint(id),
			summary: "Set the password of " + u.Name})
		return err
	})
}

// RecordLogin notes a successful sign-in in the user row and the audit trail.
func (s *orgStore) RecordLogin(ctx context.Context, id int64, via string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, id)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE users SET last_login_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("record login: %w", err)
		}
		_, err = tx.appendActivity(assay.ActorFor(u, via), change{orgID: s.orgID, action: "user.login", objectType: "user", objectID: fmt.Sprint(id),
			summary: u.Name + " signed in"})
		return err
	})
}
