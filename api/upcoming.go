package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// GET /api/v1/upcoming?days=90: overdue obligations and those due within days.
func (s *Server) apiUpcoming(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	days := assay.UpcomingDays
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return app.CheckUpcomingDays(0)
		}
		days = n
	}
	list, err := s.app.Upcoming(r.Context(), p.App(), days)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, list)
	return nil
}
