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

// Probe locations and per-minute roll-ups (see the assay package's
// availability_locations.go for the rules).

const locationColumns = `service_id, location, next_probe_at, last_probe_at, last_outcome, last_latency_ms, last_error, fail_streak, fail_since`

func scanLocation(row interface{ Scan(...any) error }) (assay.LocationStatus, error) {
	var l assay.LocationStatus
	var next string
	var last, failSince sql.NullString
	var outcome string
	if err := row.Scan(&l.ServiceID, &l.Location, &next, &last, &outcome, &l.LastLatency, &l.LastError, &l.FailStreak, &failSince); err != nil {
		return l, fmt.Errorf("scan probe location: %w", err)
	}
	l.LastOutcome = assay.ProbeOutcome(outcome)
	var err error
	if l.NextProbeAt, err = parseTime(next); err != nil {
		return l, err
	}
	if l.LastProbeAt, err = parseTimePtr(last); err != nil {
		return l, err
	}
	l.FailSince, err = parseTimePtr(failSince)
	return l, err
}

func (tx *Tx) locationsOf(serviceID int64) ([]assay.LocationStatus, error) {
	rows, err := tx.query(`SELECT `+locationColumns+` FROM availability_locations WHERE service_id = ? ORDER BY location`, serviceID)
	if err != nil {
		return nil, fmt.Errorf("probe locations: %w", err)
	}
	defer rows.Close()
	var out []assay.LocationStatus
	for rows.Next() {
		l, err := scanLocation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// stepFor is what r does to svc. Without a location it is svc.Step(r).
// With one, r first updates that location's own state; the service then
// follows what its locations say together (assay.CombineLocations).
func (tx *Tx) stepFor(svc assay.Service, r assay.ProbeResult) (assay.ProbeStep, error) {
	if r.Location == "" {
		return svc.Step(r), nil
	}
	locs, err := tx.locationsOf(svc.ID)
	if err != nil {
		return assay.ProbeStep{}, err
	}
	var mine assay.LocationStatus
	found := false
	for i, l := range locs {
		if l.Location == r.Location {
			locs[i] = l.Observe(r)
			mine, found = locs[i], true
		}
	}
	if !found {
		mine = assay.LocationStatus{ServiceID: svc.ID, Location: r.Location, NextProbeAt: r.At.UTC()}.Observe(r)
		locs = append(locs, mine)
	}
	_, err = tx.exec(`INSERT INTO availability_locations (`+locationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (service_id, location) DO UPDATE SET last_probe_at = excluded.last_probe_at, last_outcome = excluded.last_outcome,
		last_latency_ms = excluded.last_latency_ms, last_error = excluded.last_error, fail_streak = excluded.fail_streak, fail_since = excluded.fail_since`,
		svc.ID, mine.Location, formatTime(mine.NextProbeAt), formatTimePtr(mine.LastProbeAt), string(mine.LastOutcome), mine.LastLatency,
		clip(mine.LastError, maxProbeError), mine.FailStreak, formatTimePtr(mine.FailSince))
	if err != nil {
		return assay.ProbeStep{}, fmt.Errorf("record probe location: %w", err)
	}
	v := assay.CombineLocations(svc, locs, r.At)
	switch v.Outcome {
	case "":
		// Not settled either way: only the last measurement moves.
		at := r.At.UTC()
		s := svc
		s.LastProbeAt, s.LastLatency, s.LastError = &at, r.LatencyMS, r.Error
		if s.FirstProbe == nil {
			s.FirstProbe = &at
		}
		return assay.ProbeStep{Service: s}, nil
	case assay.OutcomeDown:
		// Every reporting location has confirmed the failure on its own:
		// the downtime starts when the last of them began to fail.
		s := svc
		since := v.Since
		s.Retries, s.FailStreak, s.FailSince = 0, 0, &since
		r.Error = "down from " + strings.Join(v.Reporting, ", ") + ": " + r.Error
		st := s.Step(r)
		st.Service.Retries = svc.Retries
		return st, nil
	default:
		r.Outcome = v.Outcome
		return svc.Step(r), nil
	}
}

// addToMinute folds r into its location's per-minute roll-up.
func (tx *Tx) addToMinute(serviceID int64, r assay.ProbeResult) error {
	start := r.At.Truncate(time.Minute).Unix()
	var ru assay.Rollup
	var hist []byte
	err := tx.queryRow(`SELECT probes, up, down, unknown, maintenance, histogram FROM availability_minutely WHERE service_id = ? AND start = ? AND location = ?`,
		serviceID, start, r.Location).Scan(&ru.Probes, &ru.Up, &ru.Down, &ru.Unknown, &ru.Maintenance, &hist)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read minute roll-up: %w", err)
	}
	ru.Histogram = assay.DecodeHistogram(hist)
	ru.Count(r)
	_, err = tx.exec(`INSERT INTO availability_minutely (service_id, start, location, probes, up, down, unknown, maintenance, histogram)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (service_id, start, location) DO UPDATE SET probes = excluded.probes, up = excluded.up, down = excluded.down,
		unknown = excluded.unknown, maintenance = excluded.maintenance, histogram = excluded.histogram`,
		serviceID, start, r.Location, ru.Probes, ru.Up, ru.Down, ru.Unknown, ru.Maintenance, assay.EncodeHistogram(ru.Histogram))
	if err != nil {
		return fmt.Errorf("write minute roll-up: %w", err)
	}
	return nil
}

// MinuteRollups lists a service's per-minute roll-ups starting in
// [from, to), each labelled with its location, oldest first.
func (s *orgStore) MinuteRollups(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.Rollup, error) {
	if err := s.requireService(ctx, serviceID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT start, location, probes, up, down, unknown, maintenance, histogram FROM availability_minutely
		WHERE service_id = ? AND start >= ? AND start < ? ORDER BY start, location`, serviceID, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("minute roll-ups: %w", err)
	}
	defer rows.Close()
	out := []assay.Rollup{}
	for rows.Next() {
		ru := assay.Rollup{ServiceID: serviceID}
		var start int64
		var hist []byte
		if err := rows.Scan(&start, &ru.Location, &ru.Probes, &ru.Up, &ru.Down, &ru.Unknown, &ru.Maintenance, &hist); err != nil {
			return nil, fmt.Errorf("scan minute roll-up: %w", err)
		}
		ru.Start = time.Unix(start, 0).UTC()
		ru.Histogram = assay.DecodeHistogram(hist)
		ru.Percentiles()
		out = append(out, ru)
	}
	return out, rows.Err()
}

// ServiceLocations lists how each named probe location sees a service.
func (s *orgStore) ServiceLocations(ctx context.Context, serviceID int64) ([]assay.LocationStatus, error) {
	if err := s.requireService(ctx, serviceID); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT `+locationColumns+` FROM availability_locations WHERE service_id = ? ORDER BY location`, serviceID)
	if err != nil {
		return nil, fmt.Errorf("probe locations: %w", err)
	}
	defer rows.Close()
	out := []assay.LocationStatus{}
	for rows.Next() {
		l, err := scanLocation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ClaimDueServicesFrom claims, for one named location, the enabled
// services that location has not probed within their interval.
func (db *DB) ClaimDueServicesFrom(ctx context.Context, location string, now time.Time, limit int) ([]assay.Service, error) {
	if location == "" {
		return db.ClaimDueServices(ctx, now, limit)
	}
	if err := assay.ValidLocation(location); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	cols := "s." + strings.ReplaceAll(strings.Join(strings.Fields(serviceColumns), " "), ", ", ", s.")
	var out []assay.Service
	err := db.update(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT `+cols+`, l.next_probe_at FROM availability_services s
			LEFT JOIN availability_locations l ON l.service_id = s.id AND l.location = ?
			WHERE s.enabled = 1 AND (l.next_probe_at IS NULL OR l.next_probe_at <= ?)
			ORDER BY COALESCE(l.next_probe_at, s.created_at), s.id LIMIT ?`, location, formatTime(now), limit)
		if err != nil {
			return fmt.Errorf("due services at %s: %w", location, err)
		}
		type due struct {
			svc  assay.Service
			prev sql.NullString
		}
		var list []due
		for rows.Next() {
			var d due
			var err error
			d.svc, err = scanService(scanPlus{rows, &d.prev})
			if err != nil {
				rows.Close()
				return err
			}
			list = append(list, d)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("due services at %s: %w", location, err)
		}
		for _, d := range list {
			next := formatTime(now.UTC().Truncate(time.Microsecond).Add(d.svc.Interval()))
			var res sql.Result
			if d.prev.Valid {
				res, err = tx.exec(`UPDATE availability_locations SET next_probe_at = ? WHERE service_id = ? AND location = ? AND next_probe_at = ?`,
					next, d.svc.ID, location, d.prev.String)
			} else {
				res, err = tx.exec(`INSERT INTO availability_locations (service_id, location, next_probe_at) VALUES (?, ?, ?)
					ON CONFLICT (service_id, location) DO NOTHING`, d.svc.ID, location, next)
			}
			if err != nil {
				return fmt.Errorf("claim service %d at %s: %w", d.svc.ID, location, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("claim service %d at %s: %w", d.svc.ID, location, err)
			} else if n == 1 {
				out = append(out, d.svc)
			}
		}
		return nil
	})
	return out, err
}

// scanPlus scans a service row followed by extra columns.
type scanPlus struct {
	row   interface{ Scan(...any) error }
	extra any
}

func (s scanPlus) Scan(dst ...any) error { return s.row.Scan(append(dst, s.extra)...) }
