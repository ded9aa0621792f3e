package web

import "github.com/assay-platform/assay"

// upcomingRoutes registers the Upcoming list, its calendar feeds and the
// feed itself; accessReviewRoutes calls it.
func (s *Server) upcomingRoutes() {
	s.page("GET /upcoming", assay.ActionRead, s.upcomingPage)
	s.page("POST /upcoming/calendar", assay.ActionRead, s.createCalendarForm)
	s.page("POST /upcoming/calendar/{id}/revoke", assay.ActionRead, s.revokeCalendarForm)
	// The feed carries its own secret: calendar apps send no session.
	s.mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
}
