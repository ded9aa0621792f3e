package web

import (
	"net/http"

	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) importCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_, err := csvimport.Corrective(r.Context(), s.app, p.App(), r.PostFormValue("csv"))
	return s.afterCorrectiveForm(w, r, p, err, "imported")
}
