package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) adoptRisksForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_ = r.ParseForm()
	_, err := s.app.AdoptRiskTemplates(r.Context(), p.App(), r.PostForm["template_ids"])
	return s.afterRisksForm(w, r, p, err, "/risks?flash=risks-adopted")
}
