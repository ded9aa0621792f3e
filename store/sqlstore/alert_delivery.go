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

const alertDeliveryColumns = `d.id, d.channel_id, COALESCE(c.name, ''), d.uid, d.run_id, d.source_id, d.status, d.events, d.summary, d.attempts, d.error, d.created_at, d.finished_at`

const alertDeliveryFrom = ` FROM alert_deliveries d LEFT JOIN alert_channels c ON c.org_id = d.org_id AND c.id = d.channel_id`

func scanAlertDelivery(row interface{ Scan(...any) error }) (assay.AlertDelivery, error) {
	var d assay.AlertDelivery
	var created string
	var finished sql.NullString
	err := row.Scan(&d.ID, &d.ChannelID, &d.ChannelName, &d.UID, &d.RunID, &d.SourceID, &d.Status, &d.Events, &d.Summary, &d.Attempts, &d.Error, &created, &finished)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return d, assay.Errorf(assay.ENOTFOUND, "Alert delivery not found.")
		}
		return d, fmt.Errorf("scan alert delivery: %w", err)
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return d, err
	}
	d.FinishedAt, err = parseTimePtr(finished)
	return d, err
}

func (s *orgStore) alertDelivery(ctx context.Context, q rowQuerier, id int64) (assay.AlertDelivery, error) {
	return scanAlertDelivery(q.QueryRowContext(ctx, s.db.q(`SELECT `+alertDeliveryColumns+alertDeliveryFrom+` WHERE d.org_id = ? AND d.id = ?`), s.orgID, id))
}

// ClaimAlertEvents records a pending delivery with the event keys no
// earlier delivery to the channel holds. Claims are unique per (channel,
// key) in the schema, and writers are serialised, so two notifiers racing
// over the same events never both claim one.
func (s *orgStore) ClaimAlertEvents(ctx context.Context, d assay.NewAlertDelivery) (assay.AlertDelivery, []string, error) {
	if d.ChannelID == 0 || d.UID == "" {
		return assay.AlertDelivery{}, nil, assay.Invalid("delivery", "A delivery needs a channel and an id.")
	}
	keys := make([]string, 0, len(d.Keys))
	seen := map[string]bool{}
	for _, k := range d.Keys {
		if k == "" || seen[k] {
			continue
		}
		if len(k) > 1000 {
			return assay.AlertDelivery{}, nil, assay.Invalid("keys", "An event key is too long.")
		}
		seen[k] = true
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return assay.AlertDelivery{}, nil, nil
	}
	var out assay.AlertDelivery
	var claimed []string
	err := s.db.update(ctx, func(tx *Tx) error {
		claimed = claimed[:0]
		if _, err := s.alertChannel(tx.ctx, tx.Tx, d.ChannelID); err != nil {
			return err
		}
		if err := tx.abandonStaleDeliveries(s.orgID, d.ChannelID); err != nil {
			return err
		}
		taken := map[string]bool{}
		for chunk := range slicesChunk(keys, 200) {
			args := []any{s.orgID, d.ChannelID}
			for _, k := range chunk {
				args = append(args, k)
			}
			rows, err := tx.query(`SELECT event_key FROM alert_events WHERE org_id = ? AND channel_id = ? AND event_key IN (`+placeholders(len(chunk))+`)`, args...)
			if err != nil {
				return fmt.Errorf("read alert claims: %w", err)
			}
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return fmt.Errorf("scan alert claim: %w", err)
				}
				taken[k] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, k := range keys {
			if !taken[k] {
				claimed = append(claimed, k)
			}
		}
		if len(claimed) == 0 {
			return nil
		}
		var id int64
		err := tx.queryRow(`INSERT INTO alert_deliveries (org_id, channel_id, uid, run_id, source_id, status, events, summary, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, d.ChannelID, d.UID, d.RunID, d.SourceID, string(assay.DeliveryPending), len(claimed), d.Summary, formatTime(tx.now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert alert delivery: %w", err)
		}
		for _, k := range claimed {
			// A claim that appeared since the read above (another process
			// without the writer lock) fails the whole claim: retried
			// later, it then sees the key as taken.
			if _, err := tx.exec(`INSERT INTO alert_events (org_id, channel_id, event_key, delivery_id) VALUES (?, ?, ?, ?)`, s.orgID, d.ChannelID, k, id); err != nil {
				return fmt.Errorf("claim alert event: %w", err)
			}
		}
		out, err = s.alertDelivery(tx.ctx, tx.Tx, id)
		return err
	})
	if err != nil {
		return assay.AlertDelivery{}, nil, err
	}
	if len(claimed) == 0 {
		return assay.AlertDelivery{}, nil, nil
	}
	return out, claimed, nil
}

// staleDelivery is how long a delivery may stay pending before a later
// notification takes its events over (its sender crashed or was killed).
const staleDelivery = 15 * time.Minute

// abandonStaleDeliveries marks the channel's long-pending deliveries failed
// and releases their claims.
func (tx *Tx) abandonStaleDeliveries(orgID, channelID int64) error {
	cutoff := formatTime(tx.now.Add(-staleDelivery))
	if _, err := tx.exec(`DELETE FROM alert_events WHERE org_id = ? AND channel_id = ? AND delivery_id IN
		(SELECT id FROM alert_deliveries WHERE org_id = ? AND channel_id = ? AND status = 'pending' AND created_at < ?)`,
		orgID, channelID, orgID, channelID, cutoff); err != nil {
		return fmt.Errorf("release stale alert claims: %w", err)
	}
	if _, err := tx.exec(`UPDATE alert_deliveries SET status = 'failed', error = 'abandoned: the sender stopped before finishing', finished_at = ?
		WHERE org_id = ? AND channel_id = ? AND status = 'pending' AND created_at < ?`, formatTime(tx.now), orgID, channelID, cutoff); err != nil {
		return fmt.Errorf("abandon stale alert deliveries: %w", err)
	}
	return nil
}

// slicesChunk yields s in pieces of at most n.
func slicesChunk(s []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}

// FinishAlertDelivery records the outcome of a delivery; a failure
// releases the delivery's claims so the events can be sent later.
func (s *orgStore) FinishAlertDelivery(ctx context.Context, actor assay.Actor, id int64, f assay.AlertOutcome) (assay.AlertDelivery, error) {
	if f.Status != assay.DeliverySent && f.Status != assay.DeliveryFailed {
		return assay.AlertDelivery{}, assay.Invalid("status", "A delivery ends sent or failed.")
	}
	errText := f.Error
	if len(errText) > 2000 {
		errText = errText[:2000]
	}
	var out assay.AlertDelivery
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.alertDelivery(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status != assay.DeliveryPending {
			return assay.Errorf(assay.ECONFLICT, "Delivery %d is already %s.", id, before.Status)
		}
		summary := before.Summary
		if f.Summary != "" {
			summary = f.Summary
		}
		events := before.Events
		if f.Events > 0 {
			events = f.Events
		}
		if _, err := tx.exec(`UPDATE alert_deliveries SET status = ?, attempts = ?, error = ?, events = ?, summary = ?, finished_at = ? WHERE org_id = ? AND id = ?`,
			string(f.Status), f.Attempts, errText, events, summary, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("finish alert delivery: %w", err)
		}
		if f.Status == assay.DeliveryFailed {
			if _, err := tx.exec(`DELETE FROM alert_events WHERE org_id = ? AND delivery_id = ?`, s.orgID, id); err != nil {
				return fmt.Errorf("release alert claims: %w", err)
			}
		}
		if out, err = s.alertDelivery(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		text := fmt.Sprintf("Alert to %q %s: %s", out.ChannelName, f.Status, summary)
		if f.Status == assay.DeliveryFailed {
			text += " (" + strings.TrimSpace(firstLine(errText)) + ")"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "alert.deliver", objectType: "alert_delivery", objectID: idText(id),
			summary: text, after: out})
		return err
	})
	if err != nil {
		return assay.AlertDelivery{}, err
	}
	return out, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// AlertDeliveries lists deliveries, newest first.
func (s *orgStore) AlertDeliveries(ctx context.Context, channelID int64, limit int) ([]assay.AlertDelivery, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT ` + alertDeliveryColumns + alertDeliveryFrom + ` WHERE d.org_id = ?`
	args := []any{s.orgID}
	if channelID != 0 {
		q += ` AND d.channel_id = ?`
		args = append(args, channelID)
	}
	rows, err := s.db.query(ctx, q+fmt.Sprintf(` ORDER BY d.id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list alert deliveries: %w", err)
	}
	defer rows.Close()
	out := []assay.AlertDelivery{}
	for rows.Next() {
		d, err := scanAlertDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
