package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// MonitorPeriodStore reads monitoring history over a window: what audit
// periods and exports need to count check history as evidence that a
// control operated.
type MonitorPeriodStore interface {
	// MonitorHistory returns, for [from, to): every source and the checks
	// each has ever evaluated, the runs that started inside the window
	// (oldest first), the transitions of the given checks (nil: all) inside
	// the window preceded by the failing transition of every pair failing
	// when it opened, and the findings open at some time inside it.
	MonitorHistory(ctx context.Context, checkIDs []string, from, to time.Time) (assay.MonitorHistory, error)
}

// PeriodMonitoring computes the automated testing of each of the controls
// over [from, to), up to now, by checks (the organisation's: the library
// and its custom checks; see assay.PeriodMonitoringFor). Controls no check
// tests, or whose checks no source evaluates, are absent.
func PeriodMonitoring(ctx context.Context, os OrgStore, checks []assay.Check, controls []string, from, to, now time.Time) (map[string]assay.PeriodMonitoring, error) {
	var ids []string
	for _, c := range controls {
		ids = append(ids, assay.ChecksFor(checks, c)...)
	}
	if len(ids) == 0 {
		return map[string]assay.PeriodMonitoring{}, nil
	}
	h, err := os.MonitorHistory(ctx, ids, from, to)
	if err != nil {
		return nil, err
	}
	return assay.PeriodMonitoringFor(h, checks, controls, now), nil
}
