package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) afterIncidentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/incidents/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showIncident(w, r, p, status, msg, r.PostForm)
	})
}
