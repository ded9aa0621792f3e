package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// ClaimDueServices claims enabled services that are due, across
// organisations, each by a compare-and-swap on next_probe_at.
func (db *DB) ClaimDueServices(ctx context.Context, now time.Time, limit int) ([]assay.Service, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []assay.Service
	err := db.update(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+serviceColumns+` FROM availability_services WHERE enabled = 1 AND next_probe_at <= ?
			ORDER BY next_probe_at, id LIMIT ?`, formatTime(now), limit)
		if err != nil {
			return fmt.Errorf("due services: %w", err)
		}
		var due []assay.Service
		for rows.Next() {
			svc, err := scanService(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, svc)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("due services: %w", err)
		}
		for _, svc := range due {
			next := now.UTC().Truncate(time.Microsecond).Add(svc.Interval())
			res, err := tx.exec(`UPDATE availability_services SET next_probe_at = ? WHERE id = ? AND next_probe_at = ? AND enabled = 1`,
				formatTime(next), svc.ID, formatTime(svc.NextProbeAt))
			if err != nil {
				return fmt.Errorf("claim service %d: %w", svc.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("claim service %d: %w", svc.ID, err)
			} else if n == 1 {
				svc.NextProbeAt = next
				out = append(out, svc)
			}
		}
		return nil
	})
	return out, err
}

// PruneAvailability deletes raw results, per-minute and hourly roll-ups
// past their retention.
func (db *DB) PruneAvailability(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	err := db.update(ctx, func(tx *Tx) error {
		for _, d := range []struct {
			q   string
			arg int64
		}{
			{`DELETE FROM availability_probes WHERE at < ?`, now.Add(-assay.RawRetention).UnixMilli()},
			{`DELETE FROM availability_minutely WHERE start < ?`, now.Add(-assay.MinuteRetention).Unix()},
			{`DELETE FROM availability_hourly WHERE start < ?`, now.Add(-assay.HourlyRetention).Unix()},
		} {
			res, err := tx.exec(d.q, d.arg)
			if err != nil {
				return fmt.Errorf("prune availability: %w", err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}
