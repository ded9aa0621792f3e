package rules

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// PeriodMonitoring computes the automated testing of each of the controls
// over [from, to), up to now, by checks (the organisation's: the library
// and its custom checks; see assay.PeriodMonitoringFor). Controls no check
// tests, or whose checks no source evaluates, are absent.
func PeriodMonitoring(ctx context.Context, os store.OrgStore, checks []assay.Check, controls []string, from, to, now time.Time) (map[string]assay.PeriodMonitoring, error) {
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
