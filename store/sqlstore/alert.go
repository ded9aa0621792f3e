package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

const alertChannelColumns = `id, kind, name, settings_json, secrets, secret_keys, enabled, created_at, updated_at`

func scanAlertChannel(row interface{ Scan(...any) error }) (assay.AlertChannel, error) {
	var c assay.AlertChannel
	var settings, keys, created, updated string
	var enabled int
	err := row.Scan(&c.ID, &c.Kind, &c.Name, &settings, &c.Secrets, &keys, &enabled, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, assay.Errorf(assay.ENOTFOUND, "Alert channel not found.")
		}
		return c, fmt.Errorf("scan alert channel: %w", err)
	}
	c.Enabled = enabled != 0
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return c, fmt.Errorf("alert channel %d settings: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(keys), &c.SecretKeys); err != nil {
		return c, fmt.Errorf("alert channel %d secret keys: %w", c.ID, err)
	}
	if c.Settings == nil {
		c.Settings = map[string]string{}
	}
	if c.SecretKeys == nil {
		c.SecretKeys = []string{}
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	c.UpdatedAt, err = parseTime(updated)
	return c, err
}

func (s *orgStore) alertChannel(ctx context.Context, q rowQuerier, id int64) (assay.AlertChannel, error) {
	return scanAlertChannel(q.QueryRowContext(ctx, s.db.q(`SELECT `+alertChannelColumns+` FROM alert_channels WHERE org_id = ? AND id = ?`), s.orgID, id))
}

// AlertChannel returns one channel.
func (s *orgStore) AlertChannel(ctx context.Context, id int64) (assay.AlertChannel, error) {
	return s.alertChannel(ctx, s.db.read, id)
}

// AlertChannels lists the organisation's channels by name.
func (s *orgStore) AlertChannels(ctx context.Context) ([]assay.AlertChannel, error) {
	rows, err := s.db.query(ctx, `SELECT `+alertChannelColumns+` FROM alert_channels WHERE org_id = ? ORDER BY name `+s.db.dialect.Binary()+`, id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	defer rows.Close()
	out := []assay.AlertChannel{}
	for rows.Next() {
		c, err := scanAlertChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// channelState is what the audit trail records of a channel: never the
// sealed secrets, only which are set.
func channelState(c assay.AlertChannel) map[string]any {
	return map[string]any{"id": c.ID, "kind": c.Kind, "name": c.Name, "settings": c.Settings, "secret_keys": c.SecretKeys, "enabled": c.Enabled}
}

func sealInto(tx *Tx, orgID, id int64, seal store.SealFunc) error {
	if seal == nil {
		return nil
	}
	sealed, keys, err := seal(id)
	if err != nil {
		return fmt.Errorf("seal alert channel secrets: %w", err)
	}
	keys = slices.Clone(keys)
	slices.Sort(keys)
	kj, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE alert_channels SET secrets = ?, secret_keys = ? WHERE org_id = ? AND id = ?`, sealed, string(kj), orgID, id); err != nil {
		return fmt.Errorf("store alert channel secrets: %w", err)
	}
	return nil
}

// CreateAlertChannel stores a channel and its sealed secrets.
func (s *orgStore) CreateAlertChannel(ctx context.Context, actor assay.Actor, n assay.NewAlertChannel, seal store.SealFunc) (assay.AlertChannel, error) {
	if err := n.Validate(); err != nil {
		return assay.AlertChannel{}, err
	}
	settings, err := json.Marshal(n.Settings)
	if err != nil {
		return assay.AlertChannel{}, err
	}
	var out assay.AlertChannel
	err = s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var taken int
		if err := tx.queryRow(`SELECT COUNT(*) FROM alert_channels WHERE org_id = ? AND name = ?`, s.orgID, n.Name).Scan(&taken); err != nil {
			return fmt.Errorf("alert channel name: %w", err)
		} else if taken > 0 {
			return assay.Errorf(assay.ECONFLICT, "A channel named %q exists already.", n.Name)
		}
		now := formatTime(tx.now)
		var id int64
		err := tx.queryRow(`INSERT INTO alert_channels (org_id, kind, name, settings_json, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, string(n.Kind), n.Name, string(settings), boolInt(n.Enabled), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert alert channel: %w", err)
		}
		if err := sealInto(tx, s.orgID, id, seal); err != nil {
			return err
		}
		if out, err = s.alertChannel(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "alert_channel.create", objectType: "alert_channel", objectID: idText(id),
			summary: fmt.Sprintf("Alert channel %q (%s) added", n.Name, n.Kind), after: channelState(out)})
		return err
	})
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return out, nil
}

// UpdateAlertChannel changes a channel's name, settings, secrets or state.
func (s *orgStore) UpdateAlertChannel(ctx context.Context, actor assay.Actor, id int64, p assay.AlertChannelPatch, seal store.SealFunc) (assay.AlertChannel, error) {
	if err := p.Validate(); err != nil {
		return assay.AlertChannel{}, err
	}
	var out assay.AlertChannel
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.alertChannel(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		c := before
		if p.Name != nil && *p.Name != c.Name {
			var taken int
			if err := tx.queryRow(`SELECT COUNT(*) FROM alert_channels WHERE org_id = ? AND name = ? AND id <> ?`, s.orgID, *p.Name, id).Scan(&taken); err != nil {
				return fmt.Errorf("alert channel name: %w", err)
			} else if taken > 0 {
				return assay.Errorf(assay.ECONFLICT, "A channel named %q exists already.", *p.Name)
			}
			c.Name = *p.Name
		}
		if p.Settings != nil {
			c.Settings = p.Settings
		}
		if p.Enabled != nil {
			c.Enabled = *p.Enabled
		}
		settings, err := json.Marshal(c.Settings)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE alert_channels SET name = ?, settings_json = ?, enabled = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			c.Name, string(settings), boolInt(c.Enabled), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update alert channel: %w", err)
		}
		if err := sealInto(tx, s.orgID, id, seal); err != nil {
			return err
		}
		if out, err = s.alertChannel(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "alert_channel.update", objectType: "alert_channel", objectID: idText(id),
			summary: fmt.Sprintf("Alert channel %q changed", out.Name), before: channelState(before), after: channelState(out)})
		return err
	})
	if err != nil {
		return assay.AlertChannel{}, err
	}
	return out, nil
}

// DeleteAlertChannel removes a channel, its delivery log and its claims;
// the audit trail keeps the record of the deliveries.
func (s *orgStore) DeleteAlertChannel(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.alertChannel(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM alert_events WHERE org_id = ? AND channel_id = ?`,
			`DELETE FROM alert_deliveries WHERE org_id = ? AND channel_id = ?`,
			`DELETE FROM alert_channels WHERE org_id = ? AND id = ?`,
		} {
			if _, err := tx.exec(q, s.orgID, id); err != nil {
				return fmt.Errorf("delete alert channel: %w", err)
			}
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "alert_channel.delete", objectType: "alert_channel", objectID: idText(id),
			summary: fmt.Sprintf("Alert channel %q removed", before.Name), before: channelState(before)})
		return err
	})
}
