package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// OrgBySCIMToken is the organisation whose SCIM token has this hash.
func (db *DB) OrgBySCIMToken(ctx context.Context, tokenHash string) (int64, error) {
	var org int64
	err := db.queryRow(ctx, `SELECT org_id FROM scim_tokens WHERE token_hash = ?`, tokenHash).Scan(&org)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, assay.Errorf(assay.EUNAUTHORIZED, "The SCIM token is not valid.")
	} else if err != nil {
		return 0, fmt.Errorf("scim token: %w", err)
	}
	return org, nil
}

// SCIMToken describes the organisation's SCIM token.
func (s *orgStore) SCIMToken(ctx context.Context) (assay.SCIMToken, error) {
	var t assay.SCIMToken
	var created string
	err := s.db.queryRow(ctx, `SELECT prefix, created_at FROM scim_tokens WHERE org_id = ?`, s.orgID).Scan(&t.Prefix, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return t, assay.Errorf(assay.ENOTFOUND, "No SCIM token has been made yet.")
	} else if err != nil {
		return t, fmt.Errorf("scim token: %w", err)
	}
	t.CreatedAt, err = parseTime(created)
	return t, err
}

// SetSCIMToken makes or replaces the organisation's SCIM token.
func (s *orgStore) SetSCIMToken(ctx context.Context, actor assay.Actor, prefix, tokenHash string) (assay.SCIMToken, error) {
	t := assay.SCIMToken{Prefix: prefix}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		t.CreatedAt = tx.now
		res, err := tx.exec(`UPDATE scim_tokens SET token_hash = ?, prefix = ?, created_at = ? WHERE org_id = ?`, tokenHash, prefix, formatTime(tx.now), s.orgID)
		if err != nil {
			return fmt.Errorf("rotate scim token: %w", err)
		}
		verb := "Rotated"
		if n, _ := res.RowsAffected(); n == 0 {
			verb = "Created"
			if _, err := tx.exec(`INSERT INTO scim_tokens (org_id, token_hash, prefix, created_at) VALUES (?, ?, ?, ?)`, s.orgID, tokenHash, prefix, formatTime(tx.now)); err != nil {
				return fmt.Errorf("create scim token: %w", err)
			}
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "scim.token", objectType: "organization", objectID: fmt.Sprint(s.orgID),
			summary: fmt.Sprintf("%s the SCIM provisioning token (%s…)", verb, prefix), after: t})
		return err
	})
	return t, err
}

const scimUserWhere = `org_id = ? AND scim_deleted = 0 AND engagement_id IS NULL`

// SCIMUsers lists the users SCIM serves.
func (s *orgStore) SCIMUsers(ctx context.Context) ([]assay.User, error) {
	rows, err := s.db.query(ctx, `SELECT `+userColumns+` FROM users WHERE `+scimUserWhere+` ORDER BY id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("scim users: %w", err)
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

// SCIMUser is one user SCIM serves.
func (s *orgStore) SCIMUser(ctx context.Context, id int64) (assay.User, error) {
	return scanUser(s.db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE `+scimUserWhere+` AND id = ?`, s.orgID, id))
}

func (tx *Tx) scimUser(orgID, id int64) (assay.User, error) {
	return scanUser(tx.queryRow(`SELECT `+userColumns+` FROM users WHERE `+scimUserWhere+` AND id = ?`, orgID, id))
}

// scimNewUser checks what an identity provider sent as a NewUser would be.
func scimNewUser(in *assay.SCIMUser, role assay.Role) error {
	in.Normalize()
	if in.UserName == "" {
		return assay.Invalid("userName", "userName is required.")
	}
	n := assay.NewUser{Email: in.Email, Name: in.DisplayName(), Role: role, Password: "unused-placeholder-Quartz-Fjord-91"}
	if err := n.Validate(); err != nil {
		return err
	}
	in.Email = n.Email
	if len(in.ExternalID) > 255 || len(in.GivenName) > assay.MaxNameLen || len(in.FamilyName) > assay.MaxNameLen {
		return assay.Invalid("name", "A name or externalId is too long.")
	}
	return nil
}

// CreateSCIMUser adds a user an identity provider provisions.
func (s *orgStore) CreateSCIMUser(ctx context.Context, actor assay.Actor, in assay.SCIMUser, passwordHash string) (assay.User, error) {
	if err := scimNewUser(&in, assay.SCIMDefaultRole); err != nil {
		return assay.User{}, err
	}
	var u assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var err error
		u, err = scanUser(tx.queryRow(`INSERT INTO users (org_id, email, name, role, password_hash, disabled, created_at, external_id, given_name, family_name)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING `+userColumns, s.orgID, in.Email, in.DisplayName(), string(assay.SCIMDefaultRole), passwordHash,
			formatTime(tx.now), nullString(in.ExternalID), in.GivenName, in.FamilyName))
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(errors.Unwrap(err))) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "A user with userName %s already exists.", in.Email)
			}
			return fmt.Errorf("insert user: %w", err)
		}
		summary := fmt.Sprintf("SCIM created %s (%s) as %s", u.Name, u.Email, u.Role)
		if !in.Active {
			if u, err = tx.deactivate(s.orgID, actor, u); err != nil {
				return err
			}
			summary += ", deactivated"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventSCIMChange, objectType: "user", objectID: fmt.Sprint(u.ID),
			summary: summary, after: u})
		return err
	})
	return u, err
}

// UpdateSCIMUser replaces a user's SCIM attributes; Active false deactivates.
func (s *orgStore) UpdateSCIMUser(ctx context.Context, actor assay.Actor, id int64, in assay.SCIMUser) (assay.User, error) {
	var after assay.User
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.scimUser(s.orgID, id)
		if err != nil {
			return err
		}
		if err := scimNewUser(&in, before.Role); err != nil {
			return err
		}
		var what []string
		if in.Email != before.Email {
			what = append(what, "email "+before.Email+" → "+in.Email)
		}
		if in.DisplayName() != before.Name {
			what = append(what, "name "+before.Name+" → "+in.DisplayName())
		}
		_, err = tx.exec(`UPDATE users SET email = ?, name = ?, external_id = ?, given_name = ?, family_name = ? WHERE org_id = ? AND id = ?`,
			in.Email, in.DisplayName(), nullString(in.ExternalID), in.GivenName, in.FamilyName, s.orgID, id)
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "A user with userName %s already exists.", in.Email)
			}
			return fmt.Errorf("update user: %w", err)
		}
		after = before
		after.Email, after.Name, after.ExternalID, after.GivenName, after.FamilyName = in.Email, in.DisplayName(), in.ExternalID, in.GivenName, in.FamilyName
		switch {
		case !in.Active && !before.Disabled:
			if after, err = tx.deactivate(s.orgID, actor, after); err != nil {
				return err
			}
			what = append(what, "deactivated: sessions ended, API tokens revoked")
		case in.Active && before.Disabled:
			if _, err := tx.exec(`UPDATE users SET disabled = 0 WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
				return fmt.Errorf("reactivate user: %w", err)
			}
			after.Disabled = false
			what = append(what, "reactivated")
		}
		if len(what) == 0 {
			what = append(what, "attributes unchanged in Assay")
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventSCIMChange, objectType: "user", objectID: fmt.Sprint(id),
			summary: "SCIM updated " + after.Name + ": " + strings.Join(what, "; "), before: before, after: after})
		return err
	})
	return after, err
}

// DeleteSCIMUser deactivates the user and stops serving them over SCIM.
// The row stays: the trail and the ledger name them.
func (s *orgStore) DeleteSCIMUser(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := tx.scimUser(s.orgID, id)
		if err != nil {
			return err
		}
		after := before
		if !before.Disabled {
			if after, err = tx.deactivate(s.orgID, actor, before); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE users SET scim_deleted = 1 WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM scim_group_members WHERE user_id = ?`, id); err != nil {
			return fmt.Errorf("delete user: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventSCIMChange, objectType: "user", objectID: fmt.Sprint(id),
			summary: "SCIM deleted " + before.Name + " (" + before.Email + "): deactivated, sessions ended, API tokens revoked; the account is kept for the trail",
			before:  before, after: after})
		return err
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
