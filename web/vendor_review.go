package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) reviewVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		_ = r.ParseForm()
		answers := map[string]string{}
		for k, v := range r.PostForm {
			if strings.HasPrefix(k, "q-") && len(v) > 0 {
				answers[strings.TrimPrefix(k, "q-")] = v[0]
			}
		}
		_, err = s.app.ReviewVendor(r.Context(), p.App(), id, answers)
	}
	return s.afterVendorForm(w, r, p, id, err, "vendor-reviewed", nil)
}
