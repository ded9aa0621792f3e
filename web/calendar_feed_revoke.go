package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

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
