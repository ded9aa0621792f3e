package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// LocationSummary is how one named probe location sees a service, with
// its last 24 hours counted from its per-minute roll-ups.
type LocationSummary struct {
	assay.LocationStatus
	Probes24h int `json:"probes_24h"`
	Up24h     int `json:"up_24h"`
	Down24h   int `json:"down_24h"`
	// UpPercent24h is the share of its probes in the last 24 hours that
	// reached the service (-1: none measured).
	UpPercent24h float64 `json:"up_percent_24h"`
	P95ms24h     int     `json:"p95_ms_24h"`
}

// serviceLocations lists a service's probe locations with their last
// day, and the service's per-minute latency over the last hour (every
// location merged).
func serviceLocations(ctx context.Context, p Principal, id int64, now time.Time) ([]LocationSummary, []assay.Rollup, error) {
	locs, err := p.Org.ServiceLocations(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	minutes, err := p.Org.MinuteRollups(ctx, id, now.Add(-24*time.Hour).Truncate(time.Minute), now.Add(time.Minute))
	if err != nil {
		return nil, nil, err
	}
	out := make([]LocationSummary, 0, len(locs))
	for _, l := range locs {
		s := LocationSummary{LocationStatus: l, UpPercent24h: -1}
		var hist assay.Histogram
		for _, m := range minutes {
			if m.Location != l.Location {
				continue
			}
			s.Probes24h += m.Probes
			s.Up24h += m.Up
			s.Down24h += m.Down
			hist.Merge(m.Histogram)
		}
		if n := s.Up24h + s.Down24h; n > 0 {
			s.UpPercent24h = 100 * float64(s.Up24h) / float64(n)
		}
		s.P95ms24h = hist.Quantile(0.95)
		out = append(out, s)
	}
	return out, MergeMinutes(minutes, now.Add(-time.Hour)), nil
}

// MergeMinutes merges per-minute roll-ups of every location into one per
// minute, from from on, oldest first, percentiles filled in.
func MergeMinutes(minutes []assay.Rollup, from time.Time) []assay.Rollup {
	out := []assay.Rollup{}
	for _, m := range minutes {
		if m.Start.Before(from) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Start.Equal(m.Start) {
			o := &out[n-1]
			o.Probes, o.Up, o.Down, o.Unknown, o.Maintenance = o.Probes+m.Probes, o.Up+m.Up, o.Down+m.Down, o.Unknown+m.Unknown, o.Maintenance+m.Maintenance
			o.Histogram.Merge(m.Histogram)
			o.Percentiles()
			continue
		}
		m.Location = ""
		m.Histogram = append(assay.Histogram(nil), m.Histogram...)
		out = append(out, m)
	}
	return out
}
