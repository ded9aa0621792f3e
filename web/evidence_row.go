package web

import (
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// evidenceRow is an item as pages show it: with its state and how far its
// expiry is, now.
type evidenceRow struct {
	assay.Evidence
	State string
	Due   string // "in 12 days", "3 days ago"
}

func relDays(now, t time.Time) string {
	d := int(assay.Day(t).Sub(assay.Day(now)).Hours() / 24)
	switch {
	case d == 0:
		return "today"
	case d == 1:
		return "tomorrow"
	case d == -1:
		return "yesterday"
	case d > 0:
		return fmt.Sprintf("in %d days", d)
	}
	return fmt.Sprintf("%d days ago", -d)
}

func (s *Server) rows(items []assay.Evidence) []evidenceRow {
	now := s.clock.Now()
	out := make([]evidenceRow, len(items))
	for i, e := range items {
		out[i] = evidenceRow{e, e.State(now), relDays(now, e.ExpiresAt)}
	}
	return out
}
