package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

const sourceColumns = `id, org_id, name, kind, settings_json, secret_names_json, interval_minutes, enabled, next_run_at,
	last_run_at, last_status, last_error, input_hash, created_at, updated_at`

func scanSource(row interface{ Scan(...any) error }) (assay.Source, error) {
	var s assay.Source
	var settings, names, next, created, updated string
	var last sql.NullString
	var enabled int
	err := row.Scan(&s.ID, &s.OrgID, &s.Name, &s.Kind, &settings, &names, &s.IntervalMinutes, &enabled, &next,
		&last, &s.LastStatus, &s.LastError, &s.InputHash, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return s, assay.Errorf(assay.ENOTFOUND, "Source not found.")
		}
		return s, fmt.Errorf("scan source: %w", err)
	}
	s.Enabled = enabled != 0
	if err := json.Unmarshal([]byte(settings), &s.Settings); err != nil {
		return s, fmt.Errorf("source %d settings: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(names), &s.SecretNames); err != nil {
		return s, fmt.Errorf("source %d secret names: %w", s.ID, err)
	}
	for _, t := range []struct {
		dst *time.Time
		s   string
	}{{&s.NextRunAt, next}, {&s.CreatedAt, created}, {&s.UpdatedAt, updated}} {
		if *t.dst, err = parseTime(t.s); err != nil {
			return s, err
		}
	}
	s.LastRunAt, err = parseTimePtr(last)
	return s, err
}

func (s *orgStore) sourceByID(ctx context.Context, q rowQuerier, id int64) (assay.Source, error) {
	return scanSource(q.QueryRowContext(ctx, s.db.q(`SELECT `+sourceColumns+` FROM monitor_sources WHERE org_id = ? AND id = ?`), s.orgID, id))
}

// Source returns one source, without its secrets.
func (s *orgStore) Source(ctx context.Context, id int64) (assay.Source, error) {
	return s.sourceByID(ctx, s.db.read, id)
}

// Sources lists the organisation's sources by name.
func (s *orgStore) Sources(ctx context.Context) ([]assay.Source, error) {
	rows, err := s.db.query(ctx, `SELECT `+sourceColumns+` FROM monitor_sources WHERE org_id = ? ORDER BY name `+s.db.dialect.Binary()+`, id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	out := []assay.Source{}
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

func sourceJSON(src assay.Source) (settings, names string, err error) {
	if src.Settings == nil {
		src.Settings = map[string]string{}
	}
	names_ := slices.Sorted(slices.Values(src.SecretNames))
	names_ = slices.Compact(names_)
	if names_ == nil {
		names_ = []string{}
	}
	b, err := json.Marshal(src.Settings)
	if err != nil {
		return "", "", err
	}
	n, err := json.Marshal(names_)
	return string(b), string(n), err
}

// CreateSource records a source; its first run is due at once.
func (s *orgStore) CreateSource(ctx context.Context, actor assay.Actor, src assay.Source, sealed []byte) (assay.Source, error) {
	if err := src.Validate(); err != nil {
		return assay.Source{}, err
	}
	settings, names, err := sourceJSON(src)
	if err != nil {
		return assay.Source{}, fmt.Errorf("source settings: %w", err)
	}
	var out assay.Source
	err = s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		now := formatTime(tx.now)
		var id int64
		err := tx.queryRow(`INSERT INTO monitor_sources (org_id, name, kind, settings_json, secret_names_json, secrets, interval_minutes, enabled,
			next_run_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, src.Name, src.Kind, settings, names, sealedArg(sealed), src.IntervalMinutes, boolInt(src.Enabled), now, now, now).Scan(&id)
		if err != nil {
			if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
				return assay.Errorf(assay.ECONFLICT, "There is already a source named %q.", src.Name)
			}
			return fmt.Errorf("insert source: %w", err)
		}
		if out, err = s.sourceByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.source.create", objectType: "monitor_source", objectID: idText(id),
			summary: fmt.Sprintf("Monitoring source %q (%s) added", out.Name, out.Kind), after: out})
		return err
	})
	return out, err
}

// UpdateSource changes a source; sealed nil keeps its secrets.
func (s *orgStore) UpdateSource(ctx context.Context, actor assay.Actor, id int64, src assay.Source, sealed []byte) (assay.Source, error) {
	if err := src.Validate(); err != nil {
		return assay.Source{}, err
	}
	settings, names, err := sourceJSON(src)
	if err != nil {
		return assay.Source{}, fmt.Errorf("source settings: %w", err)
	}
	return s.changeSource(ctx, actor, id, "monitor.source.update", func(tx *Tx, before assay.Source) error {
		if src.Kind != before.Kind {
			return assay.Invalid("kind", "A source's kind cannot change; add a new source instead.")
		}
		q := `UPDATE monitor_sources SET name = ?, settings_json = ?, secret_names_json = ?, interval_minutes = ?, enabled = ?, updated_at = ?`
		args := []any{src.Name, settings, names, src.IntervalMinutes, boolInt(src.Enabled), formatTime(tx.now)}
		if sealed != nil {
			q += `, secrets = ?`
			args = append(args, sealed)
		}
		if src.IntervalMinutes != before.IntervalMinutes && before.LastRunAt != nil {
			// The next run follows the new interval from the last one.
			q += `, next_run_at = ?`
			args = append(args, formatTime(before.LastRunAt.Add(time.Duration(src.IntervalMinutes)*time.Minute)))
		}
		_, err := tx.exec(q+` WHERE org_id = ? AND id = ?`, append(args, s.orgID, id)...)
		if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
			return assay.Errorf(assay.ECONFLICT, "There is already a source named %q.", src.Name)
		}
		return err
	})
}

// changeSource applies fn to source id in one transaction with its activity entry.
func (s *orgStore) changeSource(ctx context.Context, actor assay.Actor, id int64, action string, fn func(tx *Tx, before assay.Source) error) (assay.Source, error) {
	var out assay.Source
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.sourceByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		if out, err = s.sourceByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "monitor_source", objectID: idText(id),
			summary: fmt.Sprintf("Monitoring source %q changed", out.Name), before: before, after: out})
		return err
	})
	return out, err
}

// SourceSecrets returns the sealed secrets of a source.
func (s *orgStore) SourceSecrets(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.db.queryRow(ctx, `SELECT secrets FROM monitor_sources WHERE org_id = ? AND id = ?`, s.orgID, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, assay.Errorf(assay.ENOTFOUND, "Source not found.")
	} else if err != nil {
		return nil, fmt.Errorf("source %d secrets: %w", id, err)
	}
	return b, nil
}

// SetSourceInput records the hash of a file kind's uploaded document.
func (s *orgStore) SetSourceInput(ctx context.Context, actor assay.Actor, id int64, hash string) (assay.Source, error) {
	hash, err := inputHash(hash)
	if err != nil {
		return assay.Source{}, err
	}
	return s.changeSource(ctx, actor, id, actionSourceInput, func(tx *Tx, before assay.Source) error {
		return s.setSourceInput(tx, before, hash)
	})
}

// actionSourceInput is the activity of a source given a new document.
const actionSourceInput = "monitor.source.input"

// inputHash trims and checks a document's hash.
func inputHash(hash string) (string, error) {
	hash = strings.TrimSpace(hash)
	if hash == "" || len(hash) > 200 {
		return "", assay.Invalid("input_hash", "Give the uploaded document's hash.")
	}
	return hash, nil
}

// setSourceInput points a file kind's source at its document, in tx.
func (s *orgStore) setSourceInput(tx *Tx, before assay.Source, hash string) error {
	if !before.IsFileKind() {
		return assay.Invalid("input_hash", "A %s source collects from a live connection, not an uploaded document.", before.Kind)
	}
	_, err := tx.exec(`UPDATE monitor_sources SET input_hash = ?, updated_at = ? WHERE org_id = ? AND id = ?`, hash, formatTime(tx.now), s.orgID, before.ID)
	return err
}

// SetSourceEnabled turns scheduled runs of a source on or off.
func (s *orgStore) SetSourceEnabled(ctx context.Context, actor assay.Actor, id int64, enabled bool) (assay.Source, error) {
	return s.changeSource(ctx, actor, id, "monitor.source.update", func(tx *Tx, before assay.Source) error {
		_, err := tx.exec(`UPDATE monitor_sources SET enabled = ?, updated_at = ? WHERE org_id = ? AND id = ?`, boolInt(enabled), formatTime(tx.now), s.orgID, id)
		return err
	})
}

// DeleteSource removes a source that has never run.
func (s *orgStore) DeleteSource(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.sourceByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		var runs int
		if err := tx.queryRow(`SELECT COUNT(*) FROM monitor_runs WHERE org_id = ? AND source_id = ?`, s.orgID, id).Scan(&runs); err != nil {
			return fmt.Errorf("count runs: %w", err)
		}
		if runs > 0 {
			return assay.Errorf(assay.ECONFLICT, "Source %q has run %d times; disable it instead, so its history stays.", before.Name, runs)
		}
		if _, err := tx.exec(`DELETE FROM monitor_sources WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete source: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "monitor.source.delete", objectType: "monitor_source", objectID: idText(id),
			summary: fmt.Sprintf("Monitoring source %q removed", before.Name), before: before})
		return err
	})
}

// ClaimDueSources claims enabled sources that are due, across
// organisations. Each claim is a compare-and-swap on next_run_at, so a
// source is claimed once even when processes race (and on PostgreSQL the
// writers' lock serialises the transactions as well).
func (db *DB) ClaimDueSources(ctx context.Context, now time.Time, limit int) ([]assay.Source, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []assay.Source
	err := db.update(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+sourceColumns+` FROM monitor_sources WHERE enabled = 1 AND next_run_at <= ?
			ORDER BY next_run_at, id LIMIT ?`, formatTime(now), limit)
		if err != nil {
			return fmt.Errorf("due sources: %w", err)
		}
		var due []assay.Source
		for rows.Next() {
			src, err := scanSource(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, src)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("due sources: %w", err)
		}
		for _, src := range due {
			next := now.UTC().Truncate(time.Microsecond).Add(time.Duration(src.IntervalMinutes) * time.Minute)
			res, err := tx.exec(`UPDATE monitor_sources SET next_run_at = ? WHERE id = ? AND next_run_at = ? AND enabled = 1`,
				formatTime(next), src.ID, formatTime(src.NextRunAt))
			if err != nil {
				return fmt.Errorf("claim source %d: %w", src.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("claim source %d: %w", src.ID, err)
			} else if n == 1 {
				src.NextRunAt = next
				out = append(out, src)
			}
		}
		return nil
	})
	return out, err
}

// sealedArg stores no secrets as NULL.
func sealedArg(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
