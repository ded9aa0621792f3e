package web

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// readiness computes the caller's organisation's readiness (app.Readiness,
// the same computation as the CLI's).
func (s *Server) readiness(ctx context.Context, p *httpkit.Principal) (assay.Readiness, assay.Organization, []assay.Control, error) {
	v, err := s.app.Readiness(ctx, p.App())
	return v.Readiness, v.Organization, v.Controls, err
}

// peopleOverdue counts overdue offboarding items for the dashboard; a
// failure is logged and shows as none, so the dashboard still renders.
func (s *Server) peopleOverdue(ctx context.Context, p *httpkit.Principal) int {
	n, err := s.app.OverdueOffboarding(ctx, p.App())
	if err != nil {
		s.log.Error("count overdue offboarding items", "err", err)
		return 0
	}
	return n
}

// failingChecks counts the checks failing on some resource now, for the
// dashboard; 0 (no notice) when it cannot be read.
func (s *Server) failingChecks(ctx context.Context, p *httpkit.Principal) int {
	m, err := p.Org.FailingByCheck(ctx)
	if err != nil {
		s.log.Warn("failing checks for the dashboard", "err", err)
		return 0
	}
	return len(m)
}
