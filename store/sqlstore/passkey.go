package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// Passkeys lists the user's passkeys, oldest first.
func (s *orgStore) Passkeys(ctx context.Context, userID int64) ([]assay.Passkey, error) {
	rows, err := s.db.query(ctx, `SELECT id, user_id, name, credential_id, credential_json, created_at, last_used_at
		FROM passkeys WHERE org_id = ? AND user_id = ? ORDER BY id`, s.orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("passkeys: %w", err)
	}
	defer rows.Close()
	out := []assay.Passkey{}
	for rows.Next() {
		var p assay.Passkey
		var cred, created string
		var used sql.NullString
		if err := rows.Scan(&p.ID, &p.UserID, &p.Name, &p.CredentialID, &cred, &created, &used); err != nil {
			return nil, fmt.Errorf("passkeys: %w", err)
		}
		p.Credential = []byte(cred)
		if p.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if p.LastUsedAt, err = parseTimePtr(used); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddPasskey stores a new passkey.
func (s *orgStore) AddPasskey(ctx context.Context, actor assay.Actor, p assay.Passkey) (assay.Passkey, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		p.Name = "Passkey"
	}
	if len(p.Name) > 100 {
		return p, assay.Invalid("name", "A passkey's name has at most 100 characters.")
	}
	if p.CredentialID == "" || len(p.Credential) == 0 {
		return p, fmt.Errorf("add passkey: no credential")
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, p.UserID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(`SELECT COUNT(*) FROM passkeys WHERE credential_id = ?`, p.CredentialID).Scan(&n); err != nil {
			return fmt.Errorf("add passkey: %w", err)
		}
		if n > 0 {
			return assay.Errorf(assay.ECONFLICT, "This passkey is already registered.")
		}
		p.CreatedAt = tx.now
		if err := tx.queryRow(`INSERT INTO passkeys (org_id, user_id, name, credential_id, credential_json, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, p.UserID, p.Name, p.CredentialID, string(p.Credential), formatTime(tx.now)).Scan(&p.ID); err != nil {
			return fmt.Errorf("add passkey: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventPasskeyAdded, objectType: "user", objectID: fmt.Sprint(p.UserID),
			summary: fmt.Sprintf("%s added the passkey %q", u.Name, p.Name), after: p})
		return err
	})
	return p, err
}

// UsePasskey records a sign-in with the passkey.
func (s *orgStore) UsePasskey(ctx context.Context, userID int64, credentialID string, credential []byte) error {
	return s.db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE passkeys SET credential_json = ?, last_used_at = ? WHERE org_id = ? AND user_id = ? AND credential_id = ?`,
			string(credential), formatTime(tx.now), s.orgID, userID, credentialID)
		if err != nil {
			return fmt.Errorf("use passkey: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return assay.Errorf(assay.ENOTFOUND, "Passkey not found.")
		}
		return nil
	})
}

// RemovePasskey deletes one of the user's passkeys.
func (s *orgStore) RemovePasskey(ctx context.Context, actor assay.Actor, userID, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		var name string
		err = tx.queryRow(`SELECT name FROM passkeys WHERE org_id = ? AND user_id = ? AND id = ?`, s.orgID, userID, id).Scan(&name)
		if err == sql.ErrNoRows {
			return assay.Errorf(assay.ENOTFOUND, "Passkey not found.")
		} else if err != nil {
			return fmt.Errorf("remove passkey: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM passkeys WHERE org_id = ? AND user_id = ? AND id = ?`, s.orgID, userID, id); err != nil {
			return fmt.Errorf("remove passkey: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventPasskeyRemoved, objectType: "user", objectID: fmt.Sprint(userID),
			summary: fmt.Sprintf("Removed the passkey %q of %s", name, u.Name)})
		return err
	})
}

// ResetMFA removes every second factor of the user and ends their sessions.
func (s *orgStore) ResetMFA(ctx context.Context, actor assay.Actor, userID int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		var totp, codes, keys int
		if err := tx.queryRow(`SELECT
			(SELECT COUNT(*) FROM user_mfa WHERE org_id = ? AND user_id = ?),
			(SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ?),
			(SELECT COUNT(*) FROM passkeys WHERE org_id = ? AND user_id = ?)`, s.orgID, userID, userID, s.orgID, userID).Scan(&totp, &codes, &keys); err != nil {
			return fmt.Errorf("reset mfa: %w", err)
		}
		if totp == 0 && keys == 0 {
			return assay.Errorf(assay.ECONFLICT, "%s has no two-step sign-in to reset.", u.Name)
		}
		for _, q := range []string{`DELETE FROM user_mfa WHERE user_id = ?`, `DELETE FROM mfa_recovery_codes WHERE user_id = ?`,
			`DELETE FROM passkeys WHERE user_id = ?`, `DELETE FROM sessions WHERE user_id = ?`} {
			if _, err := tx.exec(q, userID); err != nil {
				return fmt.Errorf("reset mfa: %w", err)
			}
		}
		type factors struct {
			MFA           bool `json:"mfa"`
			RecoveryCodes int  `json:"recovery_codes"`
			Passkeys      int  `json:"passkeys"`
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: assay.EventMFAReset, objectType: "user", objectID: fmt.Sprint(userID),
			summary: "Reset the two-step sign-in of " + u.Name + " (authenticator, recovery codes and passkeys removed)",
			before:  factors{MFA: totp > 0, RecoveryCodes: codes, Passkeys: keys}, after: factors{}})
		return err
	})
}
