package web

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// dashboardData is the dashboard's data.
type dashboardData struct {
	Readiness     assay.Readiness
	Gaps          []assay.CriterionReadiness // the first 12 gaps
	MoreGaps      int                        // gaps beyond those
	Mine          []assay.Control            // the user's controls still to do
	ControlsTotal int
	Statuses      []assay.ControlStatus
	SystemFilled  int
	SystemTotal   int
	EvidenceDue   []dueEvidence // the first 8
	NoEvidence    int           // implemented controls with no evidence
	MoreDue       int
	PeopleOverdue int
	PolicyReviews *reviewFlags
	FailingChecks int
	// MyRequests are the evidence requests waiting for the user's answer
	// (open or returned), most urgent first.
	MyRequests []app.EvidenceRequestView
}

// sharedReads is p reading the whole tables the readiness rules share
// (controls, people, training, checklists, evidence per control) from the
// snapshot of the organisation's latest change (app.SharedReads), for
// pages that read them more than once. An engagement auditor's view is
// left as it is.
func (s *Server) sharedReads(ctx context.Context, p *httpkit.Principal) *httpkit.Principal {
	if p.User.EngagementLimited() {
		return p
	}
	shared := *p
	shared.Org = s.app.SharedReads(ctx, p.Org)
	return &shared
}

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.renderView(w, r, p, http.StatusOK, "dashboard", func() (pageData, error) {
		p = s.sharedReads(r.Context(), p) // readiness and the evidence due share their reads of the tables
		rd, org, controls, err := s.readiness(r.Context(), p)
		if err != nil {
			return pageData{}, err
		}
		var mine []assay.Control
		for _, c := range controls {
			if c.OwnerID == p.User.ID && c.Status != assay.StatusImplemented && c.Status != assay.StatusNotApplicable {
				mine = append(mine, c)
			}
		}
		due, missing, err := s.evidenceDue(r.Context(), p, controls)
		if err != nil {
			return pageData{}, err
		}
		moreDue := 0
		if len(due) > 8 {
			moreDue, due = len(due)-8, due[:8]
		}
		filled, total := org.System.Completion()
		gaps := rd.Gaps
		more := 0
		if len(gaps) > 12 {
			more = len(gaps) - 12
			gaps = gaps[:12]
		}
		return pageData{Title: "Dashboard", Nav: "dashboard", Org: org.Name, Data: dashboardData{
			Readiness:     rd,
			Gaps:          gaps,
			MoreGaps:      more,
			Mine:          mine,
			ControlsTotal: len(controls),
			Statuses:      assay.ControlStatuses,
			SystemFilled:  filled,
			SystemTotal:   total,
			EvidenceDue:   due,
			NoEvidence:    missing,
			MoreDue:       moreDue,
			PeopleOverdue: s.peopleOverdue(r.Context(), p),
			PolicyReviews: s.policyReviewFlags(r.Context(), p),
			FailingChecks: s.failingChecks(r.Context(), p),
			MyRequests:    s.myRequests(r, p),
		}}, nil
	})
}

// myRequests lists the requests waiting for p's answer, the overdue and
// soonest due first; a failure leaves the card empty and is logged.
func (s *Server) myRequests(r *http.Request, p *httpkit.Principal) []app.EvidenceRequestView {
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return nil
	}
	reqs, err := s.app.EvidenceRequests(r.Context(), p.App(), assay.EvidenceRequestFilter{AssigneeID: p.User.ID})
	if err != nil {
		slog.ErrorContext(r.Context(), "dashboard requests", "err", err)
		return nil
	}
	reqs = slices.DeleteFunc(reqs, func(q assay.EvidenceRequest) bool { return !q.Status.AwaitsAnswer() })
	slices.SortStableFunc(reqs, func(a, b assay.EvidenceRequest) int { return a.DueDate.Compare(b.DueDate) })
	return app.ViewEvidenceRequests(reqs, s.clock.Now())
}
