package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) updateVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		_, err = s.app.EditVendor(r.Context(), p.App(), id, vendorBodyFromForm(r).Vendor)
	}
	return s.afterVendorForm(w, r, p, id, err, "vendor-saved", r.PostForm)
}
