package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/assay-platform/assay"
)

// SeedAvailability writes a service's history directly: hourly, daily
// and per-minute roll-ups (minutes must not overlap the raw results,
// whose own minutes are folded in as recording them would), raw results
// and closed status periods, in one transaction, with no activity
// entries. It is for the demo and the
// benchmarks, which cannot wait for a year of probes; it is not part of
// store.Store.
func (db *DB) SeedAvailability(ctx context.Context, orgID, serviceID int64, hourly, daily, minutes []assay.Rollup, periods []assay.StatusPeriod, raw []assay.ProbeResult) error {
	s := &orgStore{db: db, orgID: orgID}
	return db.update(ctx, func(tx *Tx) error {
		if _, err := s.serviceByID(tx.ctx, tx.Tx, serviceID); err != nil {
			return err
		}
		for _, t := range []struct {
			table string
			list  []assay.Rollup
		}{{"availability_hourly", hourly}, {"availability_daily", daily}} {
			list := t.list
			err := tx.insertBatches(`INSERT INTO `+t.table+` (service_id, start, probes, up, down, unknown, maintenance, histogram)`, ``, 8, len(list),
				func(i int, dst []any) []any {
					ru := list[i]
					return append(dst, serviceID, ru.Start.Unix(), ru.Probes, ru.Up, ru.Down, ru.Unknown, ru.Maintenance, assay.EncodeHistogram(ru.Histogram))
				}, nil)
			if err != nil {
				return fmt.Errorf("seed %s: %w", t.table, err)
			}
		}
		err := tx.insertBatches(`INSERT INTO availability_probes (service_id, at, location, outcome, latency_ms, error)`, ``, 6, len(raw),
			func(i int, dst []any) []any {
				r := raw[i]
				return append(dst, serviceID, r.At.UnixMilli(), r.Location, outcomeCode[r.Outcome], r.LatencyMS, r.Error)
			}, nil)
		if err != nil {
			return fmt.Errorf("seed probes: %w", err)
		}
		// The raw results' per-minute roll-ups, as recording them would.
		minutes = append(append([]assay.Rollup(nil), minutes...), minuteRollups(raw)...)
		err = tx.insertBatches(`INSERT INTO availability_minutely (service_id, start, location, probes, up, down, unknown, maintenance, histogram)`, ``, 9, len(minutes),
			func(i int, dst []any) []any {
				ru := minutes[i]
				return append(dst, serviceID, ru.Start.Unix(), ru.Location, ru.Probes, ru.Up, ru.Down, ru.Unknown, ru.Maintenance, assay.EncodeHistogram(ru.Histogram))
			}, nil)
		if err != nil {
			return fmt.Errorf("seed minute roll-ups: %w", err)
		}
		for _, p := range periods {
			if _, err := tx.exec(`INSERT INTO availability_periods (org_id, service_id, state, started_at, ended_at, error, incident_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, orgID, serviceID, string(p.State), formatTime(p.StartedAt), formatTimePtr(p.EndedAt), p.Error, p.IncidentID); err != nil {
				return fmt.Errorf("seed period: %w", err)
			}
		}
		// The history starts at the earliest roll-up: the service was up
		// since, unless probes say otherwise later.
		var first *time.Time
		for _, list := range [][]assay.Rollup{daily, hourly} {
			for _, ru := range list {
				if t := ru.Start.UTC(); first == nil || t.Before(*first) {
					first = &t
				}
			}
		}
		// The last result seeded: the latest raw one, else the end of the
		// latest roll-up, at most now.
		var last *time.Time
		for _, r := range raw {
			if t := r.At.UTC(); last == nil || t.After(*last) {
				last = &t
			}
		}
		for _, l := range []struct {
			list []assay.Rollup
			span time.Duration
		}{{hourly, time.Hour - time.Minute}, {daily, 24*time.Hour - time.Minute}} {
			for _, ru := range l.list {
				if t := ru.Start.UTC().Add(l.span); last == nil || t.After(*last) {
					last = &t
				}
			}
		}
		if last != nil {
			if last.After(tx.now) {
				*last = tx.now
			}
			if _, err := tx.exec(`UPDATE availability_services SET last_probe_at = ? WHERE org_id = ? AND id = ? AND (last_probe_at IS NULL OR last_probe_at < ?)`,
				formatTime(*last), orgID, serviceID, formatTime(*last)); err != nil {
				return fmt.Errorf("seed last probe: %w", err)
			}
		}
		if first != nil {
			if _, err := tx.exec(`UPDATE availability_services SET first_probe_at = ?, state = CASE WHEN state = 'pending' THEN 'up' ELSE state END,
				state_since = COALESCE(state_since, ?) WHERE org_id = ? AND id = ? AND (first_probe_at IS NULL OR first_probe_at > ?)`,
				formatTime(*first), formatTime(*first), orgID, serviceID, formatTime(*first)); err != nil {
				return fmt.Errorf("seed service start: %w", err)
			}
		}
		return nil
	})
}

// minuteRollups folds results into per-minute roll-ups by location, in
// order of minute and location.
func minuteRollups(raw []assay.ProbeResult) []assay.Rollup {
	type key struct {
		start    int64
		location string
	}
	at := map[key]int{}
	var out []assay.Rollup
	for _, r := range raw {
		k := key{r.At.Truncate(time.Minute).Unix(), r.Location}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, assay.Rollup{Start: time.Unix(k.start, 0).UTC(), Location: r.Location})
		}
		out[i].Count(r)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Location < out[j].Location
	})
	return out
}

// AvailabilityBytes is the space the availability tables and their
// indexes take (SQLite: their pages; PostgreSQL: their relations with
// indexes and TOAST). It is for the storage benchmark.
func (db *DB) AvailabilityBytes(ctx context.Context) (int64, error) {
	q := `SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'availability%' OR name LIKE 'sqlite_autoindex_availability%'`
	if db.dialect.Name() == "postgres" {
		q = `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind = 'r' AND c.relname LIKE 'availability%' AND n.nspname = current_schema()`
	}
	var n int64
	err := db.write.QueryRowContext(ctx, q).Scan(&n)
	return n, err
}
