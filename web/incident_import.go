package web

import (
	"net/http"

	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
)

// importIncidentsForm imports incidents from the CSV pasted on the
// incidents page: every row or none.
func (s *Server) importIncidentsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_, err := csvimport.Incidents(r.Context(), s.app, p.App(), r.PostFormValue("csv"), s.clock.Now())
	if err == nil {
		http.Redirect(w, r, "/incidents?flash=imported", http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showIncidents(w, r, p, status, msg, r.PostForm)
	})
}
