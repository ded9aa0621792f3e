package store

import (
	"context"
	"fmt"
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

// OrgChecks lists the checks that apply to an organisation, from the
// lister SetReadinessChecks gave (the library and the custom checks), or
// only its custom checks without one.
func OrgChecks(ctx context.Context, os OrgStore) ([]assay.Check, error) {
	if f := readinessChecks.Load(); f != nil {
		return (*f)(ctx, os)
	}
	return os.CustomChecks(ctx)
}

// PeriodMonitoring computes the automated testing of each of the controls
// over [from, to), up to now (see assay.PeriodMonitoringFor). Controls no
// check tests, or whose checks no source evaluates, are absent.
func PeriodMonitoring(ctx context.Context, os OrgStore, controls []string, from, to, now time.Time) (map[string]assay.PeriodMonitoring, error) {
	checks, err := OrgChecks(ctx, os)
	if err != nil {
		return nil, fmt.Errorf("checks: %w", err)
	}
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
