package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
)

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
