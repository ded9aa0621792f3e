package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// Rollups lists hourly or daily roll-ups starting in [from, to).
func (s *orgStore) Rollups(ctx context.Context, serviceID int64, hourly bool, from, to time.Time) ([]assay.Rollup, error) {
	if err := s.requireService(ctx, serviceID); err != nil {
		return nil, err
	}
	table := "availability_daily"
	if hourly {
		table = "availability_hourly"
	}
	rows, err := s.db.query(ctx, `SELECT start, probes, up, down, unknown, maintenance, histogram FROM `+table+`
		WHERE service_id = ? AND start >= ? AND start < ? ORDER BY start`, serviceID, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("roll-ups: %w", err)
	}
	defer rows.Close()
	out := []assay.Rollup{}
	for rows.Next() {
		ru := assay.Rollup{ServiceID: serviceID}
		var start int64
		var hist []byte
		if err := rows.Scan(&start, &ru.Probes, &ru.Up, &ru.Down, &ru.Unknown, &ru.Maintenance, &hist); err != nil {
			return nil, fmt.Errorf("scan roll-up: %w", err)
		}
		ru.Start = time.Unix(start, 0).UTC()
		ru.Histogram = assay.DecodeHistogram(hist)
		ru.Percentiles()
		out = append(out, ru)
	}
	return out, rows.Err()
}

// ProbeResults lists raw results in [from, to), newest first.
func (s *orgStore) ProbeResults(ctx context.Context, serviceID int64, from, to time.Time, limit int) ([]assay.ProbeResult, error) {
	if err := s.requireService(ctx, serviceID); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	if limit > 10000 {
		limit = 10000
	}
	rows, err := s.db.query(ctx, `SELECT at, location, outcome, latency_ms, error FROM availability_probes WHERE service_id = ? AND at >= ? AND at < ?
		ORDER BY at DESC, location LIMIT ?`, serviceID, from.UnixMilli(), to.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("probe results: %w", err)
	}
	defer rows.Close()
	out := []assay.ProbeResult{}
	for rows.Next() {
		r := assay.ProbeResult{ServiceID: serviceID}
		var at int64
		var code int
		if err := rows.Scan(&at, &r.Location, &code, &r.LatencyMS, &r.Error); err != nil {
			return nil, fmt.Errorf("scan probe: %w", err)
		}
		if code < 0 || code >= len(outcomeOf) {
			return nil, fmt.Errorf("probe at %d: outcome code %d", at, code)
		}
		r.At, r.Outcome = time.UnixMilli(at).UTC(), outcomeOf[code]
		out = append(out, r)
	}
	return out, rows.Err()
}
