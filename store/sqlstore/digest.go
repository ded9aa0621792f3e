package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Reminder digests: the organisation's defaults, each user's choices,
// the sealed unsubscribe key and the send log.

func kindsText(kinds []string) string { return strings.Join(kinds, ",") }

func kindsOf(s string) []string {
	out := []string{}
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// DigestSettings reads the organisation's defaults.
func (s *orgStore) DigestSettings(ctx context.Context) (assay.DigestSettings, error) {
	out := assay.DefaultDigestSettings()
	var weekday int
	var optOut, updated string
	err := s.db.queryRow(ctx, `SELECT frequency, weekday, hour, timezone, opt_out, updated_at FROM digest_settings WHERE org_id = ?`, s.orgID).
		Scan(&out.Frequency, &weekday, &out.Hour, &out.Timezone, &optOut, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	} else if err != nil {
		return out, fmt.Errorf("read digest settings: %w", err)
	}
	out.Weekday, out.OptOut = time.Weekday(weekday), kindsOf(optOut)
	t, err := parseTime(updated)
	out.UpdatedAt = &t
	return out, err
}

// UpdateDigestSettings saves the organisation's defaults.
func (s *orgStore) UpdateDigestSettings(ctx context.Context, actor assay.Actor, in assay.DigestSettings) (assay.DigestSettings, error) {
	in, err := in.Normalize()
	if err != nil {
		return in, err
	}
	before, err := s.DigestSettings(ctx)
	if err != nil {
		return in, err
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		now := tx.now
		in.UpdatedAt = &now
		if _, err := tx.exec(`INSERT INTO digest_settings (org_id, frequency, weekday, hour, timezone, opt_out, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET frequency = excluded.frequency, weekday = excluded.weekday, hour = excluded.hour,
				timezone = excluded.timezone, opt_out = excluded.opt_out, updated_at = excluded.updated_at`,
			s.orgID, in.Frequency, int(in.Weekday), in.Hour, in.Timezone, kindsText(in.OptOut), formatTime(now)); err != nil {
			return fmt.Errorf("save digest settings: %w", err)
		}
		_, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "digest_settings.update", objectType: "digest_settings", objectID: idText(s.orgID),
			summary: fmt.Sprintf("Reminder digest defaults set to %s", in.Frequency), before: before, after: in})
		return err
	})
	return in, err
}

const digestPrefColumns = `user_id, frequency, weekday, opt_out, updated_at`

func scanDigestPrefs(scan func(...any) error) (assay.DigestPrefs, error) {
	var p assay.DigestPrefs
	var weekday sql.NullInt64
	var optOut, updated string
	if err := scan(&p.UserID, &p.Frequency, &weekday, &optOut, &updated); err != nil {
		return p, err
	}
	if weekday.Valid {
		w := time.Weekday(weekday.Int64)
		p.Weekday = &w
	}
	p.OptOut = kindsOf(optOut)
	t, err := parseTime(updated)
	p.UpdatedAt = &t
	return p, err
}

// DigestPrefs reads a user's choices (empty when none saved).
func (s *orgStore) DigestPrefs(ctx context.Context, userID int64) (assay.DigestPrefs, error) {
	p, err := scanDigestPrefs(s.db.queryRow(ctx, `SELECT `+digestPrefColumns+` FROM digest_prefs WHERE org_id = ? AND user_id = ?`, s.orgID, userID).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.DigestPrefs{UserID: userID}, nil
	} else if err != nil {
		return p, fmt.Errorf("read digest preferences: %w", err)
	}
	return p, nil
}

// AllDigestPrefs reads every saved choice of the organisation's users.
func (s *orgStore) AllDigestPrefs(ctx context.Context) (map[int64]assay.DigestPrefs, error) {
	rows, err := s.db.query(ctx, `SELECT `+digestPrefColumns+` FROM digest_prefs WHERE org_id = ?`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list digest preferences: %w", err)
	}
	defer rows.Close()
	out := map[int64]assay.DigestPrefs{}
	for rows.Next() {
		p, err := scanDigestPrefs(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan digest preferences: %w", err)
		}
		out[p.UserID] = p
	}
	return out, rows.Err()
}

// UpdateDigestPrefs saves a user's choices.
func (s *orgStore) UpdateDigestPrefs(ctx context.Context, actor assay.Actor, in assay.DigestPrefs) (assay.DigestPrefs, error) {
	in, err := in.Normalize()
	if err != nil {
		return in, err
	}
	before, err := s.DigestPrefs(ctx, in.UserID)
	if err != nil {
		return in, err
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, in.UserID)
		if err != nil {
			return err
		}
		now := tx.now
		in.UpdatedAt = &now
		var weekday any
		if in.Weekday != nil {
			weekday = int(*in.Weekday)
		}
		if _, err := tx.exec(`INSERT INTO digest_prefs (org_id, user_id, frequency, weekday, opt_out, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, user_id) DO UPDATE SET frequency = excluded.frequency, weekday = excluded.weekday,
				opt_out = excluded.opt_out, updated_at = excluded.updated_at`,
			s.orgID, u.ID, in.Frequency, weekday, kindsText(in.OptOut), formatTime(now)); err != nil {
			return fmt.Errorf("save digest preferences: %w", err)
		}
		freq := in.Frequency
		if freq == "" {
			freq = "the organisation's default"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "digest_prefs.update", objectType: "user", objectID: idText(u.ID),
			summary: fmt.Sprintf("Reminder digest of %s: %s, %d kinds left out", u.Email, freq, len(in.OptOut)), before: before, after: in})
		return err
	})
	return in, err
}

// DigestKey returns the stored sealed key, storing sealed when none is.
func (s *orgStore) DigestKey(ctx context.Context, sealed string) (string, error) {
	var out string
	err := s.db.updateUnlogged(ctx, func(tx *Tx) error {
		if sealed != "" {
			if _, err := tx.exec(`INSERT INTO digest_keys (org_id, sealed, created_at) VALUES (?, ?, ?) ON CONFLICT (org_id) DO NOTHING`,
				s.orgID, sealed, formatTime(tx.now)); err != nil {
				return fmt.Errorf("store digest key: %w", err)
			}
		}
		err := tx.queryRow(`SELECT sealed FROM digest_keys WHERE org_id = ?`, s.orgID).Scan(&out)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Errorf(assay.ENOTFOUND, "No unsubscribe key yet.")
		}
		return err
	})
	return out, err
}

// ClaimDigest inserts the (user, period) row unless it is there.
func (s *orgStore) ClaimDigest(ctx context.Context, userID int64, period string) (bool, error) {
	if period == "" {
		return false, assay.Invalid("period", "The digest period is missing.")
	}
	var claimed bool
	err := s.db.updateUnlogged(ctx, func(tx *Tx) error {
		if _, err := tx.user(s.orgID, userID); err != nil {
			return err
		}
		res, err := tx.exec(`INSERT INTO digest_sends (org_id, user_id, period, status, created_at) VALUES (?, ?, ?, 'sending', ?)
			ON CONFLICT (org_id, user_id, period) DO NOTHING`, s.orgID, userID, period, formatTime(tx.now))
		if err != nil {
			return fmt.Errorf("claim digest: %w", err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// FinishDigest records the outcome of a claimed digest.
func (s *orgStore) FinishDigest(ctx context.Context, actor assay.Actor, d assay.DigestSend) error {
	if d.Status != assay.DigestSent && d.Status != assay.DigestFailed {
		return assay.Invalid("status", "A digest ends sent or failed.")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.user(s.orgID, d.UserID)
		if err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE digest_sends SET status = ?, items = ?, error = ?, finished_at = ? WHERE org_id = ? AND user_id = ? AND period = ? AND status = 'sending'`,
			d.Status, d.Items, d.Error, formatTime(tx.now), s.orgID, d.UserID, d.Period)
		if err != nil {
			return fmt.Errorf("finish digest: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return assay.Errorf(assay.ECONFLICT, "The digest of %s for %s is not being sent.", u.Email, d.Period)
		}
		summary := fmt.Sprintf("Reminder digest (%s) sent to %s: %d items", d.Period, u.Email, d.Items)
		if d.Status == assay.DigestFailed {
			summary = fmt.Sprintf("Reminder digest (%s) to %s failed: %s", d.Period, u.Email, d.Error)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "digest." + d.Status, objectType: "user", objectID: idText(u.ID), summary: summary})
		return err
	})
}

// DigestSends lists the send log, newest first.
func (s *orgStore) DigestSends(ctx context.Context, userID int64, limit int) ([]assay.DigestSend, error) {
	if limit <= 0 {
		limit = 100
	}
	q := `SELECT user_id, period, status, items, error, created_at, finished_at FROM digest_sends WHERE org_id = ?`
	args := []any{s.orgID}
	if userID != 0 {
		q += ` AND user_id = ?`
		args = append(args, userID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY created_at DESC, user_id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list digests: %w", err)
	}
	defer rows.Close()
	out := []assay.DigestSend{}
	for rows.Next() {
		var d assay.DigestSend
		var created string
		var finished sql.NullString
		if err := rows.Scan(&d.UserID, &d.Period, &d.Status, &d.Items, &d.Error, &created, &finished); err != nil {
			return nil, fmt.Errorf("scan digest: %w", err)
		}
		if d.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if d.FinishedAt, err = parseTimePtr(finished); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
