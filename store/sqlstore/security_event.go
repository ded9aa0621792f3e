package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// securityDetail is what a security event's entry records after it.
type securityDetail struct {
	Addr string `json:"addr,omitempty"`
	Via  string `json:"via,omitempty"`
}

// RecordSecurityEvent writes a sign-in or API token event into the
// activity trail, in the transaction of what it changes.
func (s *orgStore) RecordSecurityEvent(ctx context.Context, ev assay.SecurityEvent) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, ev.UserID)
		if err != nil {
			return err
		}
		from := ""
		if ev.Addr != "" {
			from = " from " + ev.Addr
		}
		// Whoever failed or was refused has not shown who they are.
		stranger := assay.Actor{Name: "unknown" + from, Via: ev.Via}
		detail := securityDetail{Addr: ev.Addr, Via: ev.Via}
		c := change{orgID: s.orgID, action: ev.Action, objectType: "user", objectID: fmt.Sprint(u.ID), after: detail}
		actor := assay.ActorFor(u, ev.Via)
		switch ev.Action {
		case assay.EventSignIn:
			if _, err := tx.exec(`UPDATE users SET last_login_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, u.ID); err != nil {
				return fmt.Errorf("record sign-in: %w", err)
			}
			c.summary = u.Name + " signed in" + from
		case assay.EventSignInFailed:
			actor, c.summary = stranger, "Failed sign-in as "+u.Email+from+": wrong password"
		case assay.EventMFAFailed:
			actor, c.summary = stranger, "Failed sign-in as "+u.Email+from+": wrong two-step code"
		case assay.EventSignInThrottled:
			actor, c.summary = stranger, "Sign-in as "+u.Email+from+" refused: too many failures"
			if ev.Detail != "" {
				c.summary += " (" + ev.Detail + ")"
			}
		case assay.EventTokenNewAddress:
			var name string
			var prev *string
			err := tx.queryRow(`SELECT name, last_used_addr FROM api_tokens WHERE org_id = ? AND id = ? AND user_id = ? AND revoked_at IS NULL`,
				s.orgID, ev.TokenID, u.ID).Scan(&name, &prev)
			if errors.Is(err, sql.ErrNoRows) {
				return assay.Errorf(assay.ENOTFOUND, "API token not found.")
			} else if err != nil {
				return fmt.Errorf("record token address: %w", err)
			}
			res, err := tx.exec(`UPDATE api_tokens SET last_used_addr = ? WHERE org_id = ? AND id = ? AND (last_used_addr IS NULL OR last_used_addr <> ?)`,
				ev.Addr, s.orgID, ev.TokenID, ev.Addr)
			if err != nil {
				return fmt.Errorf("record token address: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 || prev == nil {
				// The address is not new (another request recorded it), or
				// this is the token's first use: its creation is in the
				// trail already, and the address is kept to compare with.
				return nil
			}
			c.objectType, c.objectID = "api_token", fmt.Sprint(ev.TokenID)
			c.summary = fmt.Sprintf("API token %q of %s used%s, a new address (last used from %s)", name, u.Email, from, *prev)
		default:
			return assay.Invalid("action", "Unknown security event %q.", ev.Action)
		}
		_, err = tx.appendActivity(actor, c)
		return err
	})
}

// Sessions lists a user's live sessions, newest first.
func (s *orgStore) Sessions(ctx context.Context, userID int64) ([]assay.SessionInfo, error) {
	rows, err := s.db.query(ctx, `SELECT token_hash, created_at, expires_at FROM sessions
		WHERE org_id = ? AND user_id = ? AND expires_at > ? AND mfa_stage = '' ORDER BY created_at DESC, token_hash`,
		s.orgID, userID, formatTime(s.db.clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	defer rows.Close()
	out := []assay.SessionInfo{}
	for rows.Next() {
		var hash, created, expires string
		if err := rows.Scan(&hash, &created, &expires); err != nil {
			return nil, fmt.Errorf("sessions: %w", err)
		}
		si := assay.SessionInfo{ID: hash[:min(len(hash), assay.SessionIDLen)]}
		if si.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if si.ExpiresAt, err = parseTime(expires); err != nil {
			return nil, err
		}
		out = append(out, si)
	}
	return out, rows.Err()
}

// EndSession ends one of a user's sessions, recording it in the trail.
func (s *orgStore) EndSession(ctx context.Context, actor assay.Actor, userID int64, id string) error {
	if len(id) != assay.SessionIDLen || strings.Trim(id, "0123456789abcdef") != "" {
		return assay.Errorf(assay.ENOTFOUND, "Session not found.")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, userID)
		if err != nil {
			return err
		}
		res, err := tx.exec(`DELETE FROM sessions WHERE org_id = ? AND user_id = ? AND token_hash LIKE ?`, s.orgID, userID, id+"%")
		if err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return assay.Errorf(assay.ENOTFOUND, "Session not found.")
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "user.session_end", objectType: "user", objectID: fmt.Sprint(u.ID),
			summary: "Ended a session of " + u.Name + " (signed in as " + u.Email + ")"})
		return err
	})
}
