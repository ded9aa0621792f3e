package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/store"
)

// calendarTokenPrefix marks a calendar feed secret.
const calendarTokenPrefix = "assay_cal_"

func (s *Server) upcomingRoutes() {
	s.page("GET /upcoming", assay.ActionRead, s.upcomingPage)
	s.page("POST /upcoming/calendar", assay.ActionRead, s.createCalendarForm)
	s.page("POST /upcoming/calendar/{id}/revoke", assay.ActionRead, s.revokeCalendarForm)
	s.api("GET /api/v1/upcoming", assay.ActionRead, s.apiUpcoming)
	// The feed carries its own secret: calendar apps send no session.
	s.mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
}

// obligations gathers every recurring obligation of the organisation:
// policy reviews, training and offboarding deadlines, access reviews,
// vendor reviews, risk reviews and the yearly risk assessment.
func (s *Server) obligations(ctx context.Context, org store.OrgStore, now time.Time) ([]assay.Obligation, error) {
	out := []assay.Obligation{}
	policies, err := rules.PolicyReviews(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("policy reviews: %w", err)
	}
	training, err := rules.TrainingObligations(ctx, org, now)
	if err != nil {
		return nil, fmt.Errorf("training obligations: %w", err)
	}
	access, err := rules.AccessReviewObligations(ctx, org, now)
	if err != nil {
		return nil, fmt.Errorf("access reviews: %w", err)
	}
	out = append(append(append(out, policies...), training...), access...)
	vendors, err := org.Vendors(ctx)
	if err != nil {
		return nil, fmt.Errorf("vendors: %w", err)
	}
	for _, v := range vendors {
		out = append(out, assay.Obligation{Kind: "vendor_review", Title: "Vendor review: " + v.Name, Due: assay.Day(v.NextReviewDue()), Link: fmt.Sprintf("/vendors/%d", v.ID)})
	}
	risks, err := org.Risks(ctx)
	if err != nil {
		return nil, fmt.Errorf("risks: %w", err)
	}
	for _, r := range risks {
		if r.ReviewDate != nil && r.Status != assay.RiskClosed {
			out = append(out, assay.Obligation{Kind: "risk_review", Title: "Risk review: " + r.Title, Due: assay.Day(*r.ReviewDate), Link: fmt.Sprintf("/risks/%d", r.ID)})
		}
	}
	assessments, err := org.RiskAssessments(ctx)
	if err != nil {
		return nil, fmt.Errorf("risk assessments: %w", err)
	}
	if len(assessments) > 0 {
		out = append(out, assay.Obligation{Kind: "risk_assessment", Title: "Yearly risk assessment", Due: assay.Day(assessments[0].Date.AddDate(1, 0, 0)), Link: "/risks"})
	}
	assay.SortObligations(out)
	return out, nil
}

func (s *Server) upcomingPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showUpcoming(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showUpcoming(w http.ResponseWriter, r *http.Request, p *principal, status int, flash, newURL string) {
	now := s.clock.Now()
	list, err := s.obligations(r.Context(), p.Org, now)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	overdue, soon := assay.UpcomingWindow(now, assay.UpcomingDays, list)
	tokens, err := p.Org.CalendarTokens(r.Context(), p.User.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	active := []assay.CalendarToken{}
	for _, t := range tokens {
		if t.RevokedAt == nil {
			active = append(active, t)
		}
	}
	s.render(w, r, status, "upcoming", pageData{Title: "Upcoming", Nav: "upcoming", Flash: flash, Data: map[string]any{
		"Overdue": overdue, "Soon": soon, "Days": assay.UpcomingDays, "Tokens": active, "NewURL": newURL}})
}

func (s *Server) createCalendarForm(w http.ResponseWriter, r *http.Request, p *principal) {
	secret := auth.NewToken(calendarTokenPrefix)
	if _, err := p.Org.CreateCalendarToken(r.Context(), p.actor(), p.User.ID, auth.HashToken(secret)); err != nil {
		s.pageError(w, r, err)
		return
	}
	// The secret is shown once, like an API token; only its hash is kept.
	s.showUpcoming(w, r, p, http.StatusOK, "Calendar feed created. Copy its address now: it is not shown again.",
		baseURL(r)+"/calendar/"+secret+".ics")
}

func (s *Server) revokeCalendarForm(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Calendar feed")
	if err == nil {
		err = p.Org.RevokeCalendarToken(r.Context(), p.actor(), p.User.ID, id)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/upcoming", http.StatusSeeOther)
}

// GET /api/v1/upcoming?days=90: overdue obligations and those due within days.
func (s *Server) apiUpcoming(w http.ResponseWriter, r *http.Request, p *principal) {
	days := assay.UpcomingDays
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3660 {
			s.apiError(w, r, assay.Invalid("days", "days must be between 1 and 3660."))
			return
		}
		days = n
	}
	now := s.clock.Now()
	list, err := s.obligations(r.Context(), p.Org, now)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	overdue, soon := assay.UpcomingWindow(now, days, list)
	writeJSON(w, http.StatusOK, map[string]any{"overdue": overdue, "upcoming": soon, "days": days})
}

// GET /calendar/{token}.ics: the obligations as iCalendar, for the user
// whose feed token it is. Any failure is a plain 404, so the address
// reveals nothing about tokens.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	notFound := func() { http.Error(w, "Not found.", http.StatusNotFound) }
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || !strings.HasPrefix(secret, calendarTokenPrefix) {
		notFound()
		return
	}
	u, err := s.store.UserByCalendarToken(r.Context(), auth.HashToken(secret))
	if err != nil {
		if assay.ErrorCode(err) != assay.ENOTFOUND {
			s.log.Error("calendar feed lookup failed", "err", err)
		}
		notFound()
		return
	}
	// The feed is the Upcoming page by another road: whoever may not open
	// that page (an employee, an auditor limited to one engagement) gets
	// nothing here either.
	if !u.Can(assay.ActionRead, nil) || !u.MayOpen(http.MethodGet, "/upcoming") {
		notFound()
		return
	}
	org := s.store.Org(u.OrgID)
	o, err := org.Organization(r.Context())
	if err != nil {
		notFound()
		return
	}
	now := s.clock.Now()
	list, err := s.obligations(r.Context(), org, now)
	if err != nil {
		s.log.Error("calendar feed failed", "org", u.OrgID, "err", err)
		http.Error(w, "The calendar cannot be built right now.", http.StatusInternalServerError)
		return
	}
	// A year back is enough history for a calendar.
	keep := list[:0]
	for _, ob := range list {
		if !ob.Due.Before(now.AddDate(-1, 0, 0)) {
			keep = append(keep, ob)
		}
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write([]byte(renderICal(o.Name+" compliance obligations", baseURL(r), now, keep)))
}

// baseURL is the scheme and host the request came to.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
