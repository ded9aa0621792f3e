package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// Link purposes.
const (
	linkReset  = "reset"
	linkInvite = "invite"
)

func linkPurpose(purpose string) error {
	if purpose != linkReset && purpose != linkInvite {
		return assay.Invalid("purpose", "Unknown link purpose %q.", purpose)
	}
	return nil
}

// CreateUserLink records a password reset or invitation link.
func (s *orgStore) CreateUserLink(ctx context.Context, actor assay.Actor, userID int64, purpose, tokenHash string, expires time.Time) error {
	if err := linkPurpose(purpose); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO user_links (token_hash, org_id, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			tokenHash, s.orgID, userID, purpose, formatTime(tx.now), formatTime(expires)); err != nil {
			return fmt.Errorf("create link: %w", err)
		}
		action, summary := "user.password_reset_sent", "Sent "+u.Email+" a password reset link, valid until "+expires.UTC().Format("2006-01-02 15:04 UTC")
		if purpose == linkInvite {
			action, summary = "user.invite_sent", "Sent "+u.Email+" an invitation to set their password, valid until "+expires.UTC().Format("2006-01-02 15:04 UTC")
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "user", objectID: fmt.Sprint(userID), summary: summary})
		return err
	})
}

// UserLinksSince counts a user's links of a purpose made since a time.
func (s *orgStore) UserLinksSince(ctx context.Context, userID int64, purpose string, since time.Time) (int, error) {
	var n int
	err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM user_links WHERE org_id = ? AND user_id = ? AND purpose = ? AND created_at >= ?`,
		s.orgID, userID, purpose, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count links: %w", err)
	}
	return n, nil
}

// userLink reads a live link in q's view.
func (tx *Tx) userLink(tokenHash, purpose string) (assay.User, error) {
	var orgID, userID int64
	var expires string
	var used sql.NullString
	err := tx.queryRow(`SELECT org_id, user_id, expires_at, used_at FROM user_links WHERE token_hash = ? AND purpose = ?`, tokenHash, purpose).
		Scan(&orgID, &userID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.User{}, assay.Errorf(assay.ENOTFOUND, "This link is not valid; ask for a new one.")
	} else if err != nil {
		return assay.User{}, fmt.Errorf("link: %w", err)
	}
	exp, err := parseTime(expires)
	if err != nil {
		return assay.User{}, err
	}
	if used.Valid || !tx.now.Before(exp) {
		return assay.User{}, assay.Errorf(assay.EGONE, "This link has been used or has expired; ask for a new one.")
	}
	u, err := tx.user(orgID, userID)
	if err != nil {
		return u, err
	}
	if u.Disabled {
		return u, assay.Errorf(assay.EGONE, "This account is disabled.")
	}
	return u, nil
}

// UserLink is the user a live link is for.
func (db *DB) UserLink(ctx context.Context, tokenHash, purpose string) (assay.User, error) {
	var u assay.User
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		u, err = tx.userLink(tokenHash, purpose)
		return err
	})
	return u, err
}

// UseUserLink sets a password through a live link and ends every session.
func (db *DB) UseUserLink(ctx context.Context, tokenHash, purpose, passwordHash string) (assay.User, error) {
	if passwordHash == "" {
		return assay.User{}, fmt.Errorf("use link: empty hash")
	}
	var u assay.User
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if u, err = tx.userLink(tokenHash, purpose); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE user_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, formatTime(tx.now), tokenHash)
		if err != nil {
			return fmt.Errorf("use link: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return assay.Errorf(assay.EGONE, "This link has already been used.")
		}
		if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE org_id = ? AND id = ?`, passwordHash, u.OrgID, u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		summary := u.Name + " set a new password through a reset link; every session ended"
		if purpose == linkInvite {
			summary = u.Name + " accepted the invitation and set their password"
		}
		_, err = tx.appendActivity(assay.ActorFor(u, "web"), change{orgID: u.OrgID, action: "user.password", objectType: "user", objectID: fmt.Sprint(u.ID), summary: summary})
		return err
	})
	return u, err
}
