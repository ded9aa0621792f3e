package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) upcomingRoutes() {
	s.page("GET /upcoming", assay.ActionRead, s.upcomingPage)
	s.page("POST /upcoming/calendar", assay.ActionRead, s.createCalendarForm)
	s.page("POST /upcoming/calendar/{id}/revoke", assay.ActionRead, s.revokeCalendarForm)
	// The feed carries its own secret: calendar apps send no session.
	s.mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
}

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

func (s *Server) createCalendarForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	feed, err := s.app.CreateCalendarFeed(r.Context(), p.App())
	if err != nil {
		return err
	}
	// The secret is shown once, like an API token; only its hash is kept.
	return s.showUpcoming(w, r, p, http.StatusOK, "Calendar feed created. Copy its address now: it is not shown again.",
		baseURL(r)+feed.Path)
}

func (s *Server) revokeCalendarForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Calendar feed")
	if err == nil {
		err = s.app.RevokeCalendarFeed(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/upcoming", http.StatusSeeOther)
	return nil
}

// GET /calendar/{token}.ics: the obligations as iCalendar, for the user
// whose feed token it is. Any refusal is a plain 404, so the address
// reveals nothing about tokens.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	feed, err := s.app.CalendarFeedBySecret(r.Context(), secret)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		http.Error(w, "Not found.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.log.Error("calendar feed failed", "err", err)
		http.Error(w, "The calendar cannot be built right now.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write([]byte(renderICal(feed.Name+" compliance obligations", baseURL(r), feed.AsOf, feed.Obligations)))
}

// baseURL is the scheme and host the request came to.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
