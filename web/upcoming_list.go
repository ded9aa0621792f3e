package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) upcomingPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showUpcoming(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showUpcoming(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, newURL string) error {
	list, err := s.app.Upcoming(r.Context(), p.App(), assay.UpcomingDays)
	if err != nil {
		return err
	}
	tokens, err := s.app.CalendarFeeds(r.Context(), p.App(), false)
	if err != nil {
		return err
	}
	s.render(w, r, status, "upcoming", pageData{Title: "Upcoming", Nav: "upcoming", Flash: flash, Data: upcomingData{
		Overdue: list.Overdue, Soon: list.Upcoming, Days: list.Days, Tokens: tokens, NewURL: newURL}})
	return nil
}

// upcomingData is the Upcoming page's data.
type upcomingData struct {
	Overdue []assay.Obligation
	Soon    []assay.Obligation
	Days    int
	Tokens  []assay.CalendarToken
	NewURL  string // a feed just created, shown once
}
