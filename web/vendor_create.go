package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) createVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	v, err := vendorBodyFromForm(r).Vendor()
	to := ""
	if err == nil {
		var got []assay.Vendor
		if got, err = s.app.CreateVendors(r.Context(), p.App(), []assay.Vendor{v}); err == nil {
			to = fmt.Sprintf("/vendors/%d?flash=vendor-created", got[0].ID)
		}
	}
	return s.afterVendorsForm(w, r, p, err, to)
}
