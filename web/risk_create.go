package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) createRiskForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	risk, err := riskBodyFromForm(r).Risk()
	to := ""
	if err == nil {
		var got []assay.Risk
		if got, err = s.app.CreateRisks(r.Context(), p.App(), []assay.Risk{risk}); err == nil {
			to = fmt.Sprintf("/risks/%d?flash=risk-created", got[0].ID)
		}
	}
	return s.afterRisksForm(w, r, p, err, to)
}
