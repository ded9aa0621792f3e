package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/assay-platform/assay"
)

// UserByCalendarToken finds the active user behind a calendar feed token.
func (db *DB) UserByCalendarToken(ctx context.Context, tokenHash string) (assay.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumnsOf("u")+`
		FROM calendar_tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, tokenHash))
	if err != nil {
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return u, assay.Errorf(assay.ENOTFOUND, "No such calendar.")
		}
		return u, err
	}
	if u.Disabled || u.AccessExpired(db.clock.Now()) {
		return assay.User{}, assay.Errorf(assay.ENOTFOUND, "No such calendar.")
	}
	return u, nil
}

// CreateCalendarToken records a feed token (its hash) for a user.
func (s *orgStore) CreateCalendarToken(ctx context.Context, actor assay.Actor, userID int64, tokenHash string) (assay.CalendarToken, error) {
	if len(tokenHash) < 32 {
		return assay.CalendarToken{}, assay.Invalid("token", "The token hash is missing.")
	}
	var out assay.CalendarToken
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		out = assay.CalendarToken{UserID: u.ID, Prefix: tokenHash[:8], CreatedAt: tx.now}
		if err := tx.queryRow(`INSERT INTO calendar_tokens (org_id, user_id, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, u.ID, out.Prefix, tokenHash, formatTime(tx.now)).Scan(&out.ID); err != nil {
			return fmt.Errorf("insert calendar token: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "calendar_token.create", objectType: "calendar_token", objectID: idText(out.ID),
			summary: fmt.Sprintf("Calendar feed %d created for %s", out.ID, u.Email), after: out})
		return err
	})
	return out, err
}

// CalendarTokens lists a user's feed tokens, newest first (revoked too).
func (s *orgStore) CalendarTokens(ctx context.Context, userID int64) ([]assay.CalendarToken, error) {
	rows, err := s.db.query(ctx, `SELECT id, user_id, prefix, created_at, revoked_at FROM calendar_tokens WHERE org_id = ? AND user_id = ?
		ORDER BY id DESC`, s.orgID, userID)
	if err != nil {
		return nil, fmt.Errorf("list calendar tokens: %w", err)
	}
	defer rows.Close()
	out := []assay.CalendarToken{}
	for rows.Next() {
		var t assay.CalendarToken
		var created string
		var revoked sql.NullString
		if err := rows.Scan(&t.ID, &t.UserID, &t.Prefix, &created, &revoked); err != nil {
			return nil, fmt.Errorf("scan calendar token: %w", err)
		}
		if t.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if t.RevokedAt, err = parseTimePtr(revoked); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeCalendarToken revokes one of the user's feed tokens.
func (s *orgStore) RevokeCalendarToken(ctx context.Context, actor assay.Actor, userID, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var one int
		err := tx.queryRow(`SELECT 1 FROM calendar_tokens WHERE org_id = ? AND user_id = ? AND id = ? AND revoked_at IS NULL`, s.orgID, userID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Errorf(assay.ENOTFOUND, "Calendar feed not found.")
		} else if err != nil {
			return fmt.Errorf("find calendar token: %w", err)
		}
		if _, err := tx.exec(`UPDATE calendar_tokens SET revoked_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("revoke calendar token: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "calendar_token.revoke", objectType: "calendar_token", objectID: idText(id),
			summary: fmt.Sprintf("Calendar feed %d revoked", id)})
		return err
	})
}
