package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
)

// UserByAPIToken returns the user behind a live API token and notes its use.
func (db *DB) UserByAPIToken(ctx context.Context, tokenHash string) (assay.User, assay.APIToken, error) {
	var t assay.APIToken
	var created string
	var lastUsed, expires, lastAddr sql.NullString
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userColumnsOf("u")+`,
		t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.last_used_addr, t.scope
		FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.org_id = t.org_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`, tokenHash),
		&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &lastUsed, &expires, &lastAddr, &t.Scope)
	if err != nil {
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return u, t, assay.Errorf(assay.EUNAUTHORIZED, "The API token is not valid.")
		}
		return u, t, err
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return u, t, err
	}
	if t.LastUsedAt, err = parseTimePtr(lastUsed); err != nil {
		return u, t, err
	}
	if t.ExpiresAt, err = parseTimePtr(expires); err != nil {
		return u, t, err
	}
	t.LastUsedAddr = lastAddr.String
	now := db.clock.Now()
	if (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) || u.Disabled || u.AccessExpired(now) {
		return u, t, assay.Errorf(assay.EUNAUTHORIZED, "The API token has expired or its user is disabled.")
	}
	// Record use at most once a minute, to keep reads cheap.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt).Minutes() >= 1 {
		_ = db.update(ctx, func(tx *Tx) error {
			_, err := tx.exec(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(now), t.ID)
			return err
		})
	}
	return u, t, nil
}

// CreateAPIToken stores a new token's hash for a user of the organisation.
func (s *orgStore) CreateAPIToken(ctx context.Context, actor assay.Actor, t assay.APIToken, tokenHash string) (assay.APIToken, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return t, assay.Invalid("name", "Give the token a name that says where it is used.")
	}
	if len(t.Name) > assay.MaxNameLen {
		return t, assay.Invalid("name", "Token name is longer than %d characters.", assay.MaxNameLen)
	}
	if t.Scope == "" {
		t.Scope = assay.TokenReadWrite
	}
	if t.Scope != assay.TokenReadOnly && t.Scope != assay.TokenReadWrite {
		return t, assay.Invalid("scope", "Unknown token scope %q.", t.Scope)
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, t.UserID)
		if err != nil {
			return err
		}
		t.CreatedAt = tx.now
		err = tx.queryRow(`INSERT INTO api_tokens (org_id, user_id, name, prefix, token_hash, created_at, expires_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, t.UserID, t.Name, t.Prefix, tokenHash, formatTime(tx.now), formatTimePtr(t.ExpiresAt), string(t.Scope)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "api_token.create", objectType: "api_token", objectID: fmt.Sprint(t.ID),
			summary: fmt.Sprintf("Created API token %q (%s…) for %s", t.Name, t.Prefix, u.Name), after: t})
		return err
	})
	return t, err
}

// APITokens lists the organisation's live tokens.
func (s *orgStore) APITokens(ctx context.Context) ([]assay.APIToken, error) {
	rows, err := s.db.query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, expires_at, scope FROM api_tokens
		WHERE org_id = ? AND revoked_at IS NULL ORDER BY id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []assay.APIToken{}
	for rows.Next() {
		var t assay.APIToken
		var created string
		var last, exp sql.NullString
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &last, &exp, &t.Scope); err != nil {
			return nil, err
		}
		if t.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if t.LastUsedAt, err = parseTimePtr(last); err != nil {
			return nil, err
		}
		if t.ExpiresAt, err = parseTimePtr(exp); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken ends a token.
func (s *orgStore) RevokeAPIToken(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var name string
		err := tx.queryRow(`SELECT name FROM api_tokens WHERE org_id = ? AND id = ? AND revoked_at IS NULL`, s.orgID, id).Scan(&name)
		if err == sql.ErrNoRows {
			return assay.Errorf(assay.ENOTFOUND, "API token not found.")
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "api_token.revoke", objectType: "api_token", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Revoked API token %q", name)})
		return err
	})
}
