package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// Sessions and setup tokens are keyed by the SHA-256 of their secret: a
// copy of the database does not let anyone sign in.

// CreateSession stores a new browser session.
func (db *DB) CreateSession(ctx context.Context, tokenHash string, s assay.Session) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, org_id, csrf_token, created_at, expires_at, mfa_stage) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tokenHash, s.UserID, s.OrgID, s.CSRFToken, formatTime(s.CreatedAt), formatTime(s.ExpiresAt), s.MFAStage)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
}

// UserBySession returns the signed-in user of a live session.
func (db *DB) UserBySession(ctx context.Context, tokenHash string) (assay.User, assay.Session, error) {
	var s assay.Session
	var created, expires string
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumnsOf("u")+`,
		s.user_id, s.org_id, s.csrf_token, s.created_at, s.expires_at, s.mfa_stage
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.org_id = s.org_id WHERE s.token_hash = ?`, tokenHash),
		&s.UserID, &s.OrgID, &s.CSRFToken, &created, &expires, &s.MFAStage)
	if err != nil {
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return u, s, assay.Errorf(assay.EUNAUTHORIZED, "Your session has ended; sign in again.")
		}
		return u, s, err
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return u, s, err
	}
	if s.ExpiresAt, err = parseTime(expires); err != nil {
		return u, s, err
	}
	if !db.clock.Now().Before(s.ExpiresAt) || u.Disabled || u.AccessExpired(db.clock.Now()) {
		return u, s, assay.Errorf(assay.EUNAUTHORIZED, "Your session has ended; sign in again.")
	}
	return u, s, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// DeleteExpiredSessions removes sessions past their expiry.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int64
	err := db.update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`DELETE FROM sessions WHERE expires_at <= ?`, formatTime(tx.now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), err
}

// CreateSetupToken stores a one-time first-run token.
func (db *DB) CreateSetupToken(ctx context.Context, tokenHash string, expires time.Time) error {
	return db.update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)`, tokenHash, formatTime(tx.now), formatTime(expires))
		return err
	})
}

// ConsumeSetupToken marks a setup token used. It fails unless the token
// exists, is unused and unexpired, and no user exists yet.
func (db *DB) ConsumeSetupToken(ctx context.Context, tokenHash string) error {
	return db.update(ctx, func(tx *Tx) error {
		var users int
		if err := tx.queryRow(`SELECT COUNT(*) FROM users`).Scan(&users); err != nil {
			return fmt.Errorf("setup token: count users: %w", err)
		}
		if users > 0 {
			return assay.Errorf(assay.EUNAUTHORIZED, "Assay is already set up; sign in instead.")
		}
		var expires string
		var used sql.NullString
		err := tx.queryRow(`SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = ?`, tokenHash).Scan(&expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Errorf(assay.EUNAUTHORIZED, "This setup link is not valid.")
		} else if err != nil {
			return fmt.Errorf("setup token: %w", err)
		}
		exp, err := parseTime(expires)
		if err != nil {
			return err
		}
		if used.Valid || !tx.now.Before(exp) {
			return assay.Errorf(assay.EUNAUTHORIZED, "This setup link has been used or has expired; restart `assay serve` for a new one.")
		}
		res, err := tx.exec(`UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, formatTime(tx.now), tokenHash)
		if err != nil {
			return fmt.Errorf("use setup token: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return assay.Errorf(assay.EUNAUTHORIZED, "This setup link has already been used.")
		}
		return nil
	})
}
