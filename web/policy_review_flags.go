package web

import (
	"context"

	"github.com/assay-platform/assay/httpkit"
)

// reviewFlags counts policies due and overdue for review, for the
// dashboard's notice.
type reviewFlags struct{ Due, Overdue int }

// policyReviewFlags is nil when no policy needs review soon (a failure is
// logged, not shown: the dashboard must still render).
func (s *Server) policyReviewFlags(ctx context.Context, p *httpkit.Principal) *reviewFlags {
	due, overdue, err := s.app.PolicyReviewCounts(ctx, p.App())
	if err != nil {
		s.log.Error("policy review flags", "err", err)
		return nil
	}
	if due+overdue == 0 {
		return nil
	}
	return &reviewFlags{Due: due, Overdue: overdue}
}
