package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) importVendorsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, _, err := r.FormFile("file")
	if err != nil {
		err = assay.Invalid("file", "Choose a CSV file to import.")
	} else {
		defer f.Close()
		_, err = csvimport.Vendors(r.Context(), s.app, p.App(), f)
	}
	return s.afterVendorsForm(w, r, p, err, "/vendors?flash=vendors-imported")
}
