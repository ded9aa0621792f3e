package server

import (
	"context"

	"github.com/assay-platform/assay"
)

// readiness computes the caller's organisation's readiness (app.Readiness,
// the same computation as the CLI's).
func (s *Server) readiness(ctx context.Context, p *principal) (assay.Readiness, assay.Organization, []assay.Control, error) {
	v, err := s.app.Readiness(ctx, p.app())
	return v.Readiness, v.Organization, v.Controls, err
}
