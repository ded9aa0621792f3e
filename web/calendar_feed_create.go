package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) createCalendarForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	feed, err := s.app.CreateCalendarFeed(r.Context(), p.App())
	if err != nil {
		return err
	}
	// The secret is shown once, like an API token; only its hash is kept.
	return s.showUpcoming(w, r, p, http.StatusOK, "Calendar feed created. Copy its address now: it is not shown again.",
		baseURL(r)+feed.Path)
}
