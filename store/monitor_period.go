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
