package web

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// readiness computes the caller's organisation's readiness (app.Readiness,
// the same computation as the CLI's).
// An auditor invited for one engagement is shown no readiness: the
// organisation's state today is not the engagement's.
func (s *Server) readiness(ctx context.Context, p *httpkit.Principal) (assay.Readiness, assay.Organization, []assay.Control, error) {
	if p.User.EngagementLimited() {
		org, err := p.Org.Organization(ctx)
		return assay.Readiness{}, org, nil, err
	}
	v, err := s.app.Readiness(ctx, p.App())
	return v.Readiness, v.Organization, v.Controls, err
}

// peopleOverdue counts overdue offboarding items for the dashboard; a
// failure is logged and shows as none, so the dashboard still renders.
func (s *Server) peopleOverdue(ctx context.Context, p *httpkit.Principal) int {
	if !p.User.Can(assay.ActionReadPeople, nil) {
		return 0 // not theirs to see
	}
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

// dueEvidence is a control whose evidence expires soon or has expired.
type dueEvidence struct {
	Control    assay.Control
	EvidenceID int64
	Title      string
	ExpiresAt  time.Time
	Expired    bool
	Due        string
	OtherItems int
}

// evidenceDue lists, soonest first, the controls (not marked not
// applicable) whose evidence stops counting within assay.EvidenceDueSoon or
// already has, and counts the implemented controls with no evidence.
func (s *Server) evidenceDue(ctx context.Context, p *httpkit.Principal, controls []assay.Control) ([]dueEvidence, int, error) {
	state, err := p.Org.EvidenceByControl(ctx)
	if err != nil {
		return nil, 0, err
	}
	by := map[string]assay.ControlEvidence{}
	for _, c := range state {
		by[c.ControlID] = c
	}
	now := s.clock.Now()
	var out []dueEvidence
	missing := 0
	for _, c := range controls {
		ev, ok := by[c.ID]
		switch {
		case c.Status == assay.StatusNotApplicable:
		case !ok:
			if c.Status == assay.StatusImplemented {
				missing++
			}
		case ev.LatestExpiry.Sub(now) <= assay.EvidenceDueSoon:
			out = append(out, dueEvidence{Control: c, EvidenceID: ev.LatestID, Title: ev.LatestTitle, ExpiresAt: ev.LatestExpiry,
				Expired: !now.Before(ev.LatestExpiry), Due: relDays(now, ev.LatestExpiry), OtherItems: ev.Items - 1})
		}
	}
	slices.SortStableFunc(out, func(a, b dueEvidence) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return out, missing, nil
}
