package sqlstore

import (
	"fmt"

	"github.com/assay-platform/assay"
)

// deactivate disables a user inside tx and ends everything that lets them
// in: every browser session is deleted and every live API token revoked
// (each revocation with its own activity entry, as the ledger replays
// tokens). The next request with any of them is refused. The caller
// writes the user's own entry.
func (tx *Tx) deactivate(orgID int64, actor assay.Actor, u assay.User) (assay.User, error) {
	if u.Role == assay.RoleAdmin && !u.Disabled {
		if err := tx.keepOneAdmin(orgID, u.ID); err != nil {
			return u, err
		}
	}
	if _, err := tx.exec(`UPDATE users SET disabled = 1, deactivated_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), orgID, u.ID); err != nil {
		return u, fmt.Errorf("deactivate user: %w", err)
	}
	if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
		return u, fmt.Errorf("end sessions: %w", err)
	}
	rows, err := tx.query(`SELECT id, name FROM api_tokens WHERE org_id = ? AND user_id = ? AND revoked_at IS NULL ORDER BY id`, orgID, u.ID)
	if err != nil {
		return u, fmt.Errorf("list tokens: %w", err)
	}
	type tok struct {
		id   int64
		name string
	}
	var live []tok
	for rows.Next() {
		var t tok
		if err := rows.Scan(&t.id, &t.name); err != nil {
			rows.Close()
			return u, err
		}
		live = append(live, t)
	}
	if err := closeRows(rows); err != nil {
		return u, err
	}
	for _, t := range live {
		if _, err := tx.exec(`UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ?`, formatTime(tx.now), orgID, t.id); err != nil {
			return u, fmt.Errorf("revoke token: %w", err)
		}
		if _, err := tx.appendActivity(actor, change{orgID: orgID, action: "api_token.revoke", objectType: "api_token", objectID: fmt.Sprint(t.id),
			summary: fmt.Sprintf("Revoked API token %q of %s: the account was deactivated", t.name, u.Name)}); err != nil {
			return u, err
		}
	}
	now := tx.now
	u.Disabled, u.DeactivatedAt = true, &now
	return u, nil
}
