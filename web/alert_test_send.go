package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /settings/alerts/{id}/test
func (s *Server) testAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	var d assay.AlertDelivery
	if err == nil {
		d, err = s.app.TestAlertChannel(r.Context(), p.App(), id)
	}
	if err != nil && d.ID != 0 {
		return s.showAlerts(w, r, p, http.StatusOK, "The test message could not be delivered: "+d.Error, "")
	}
	return s.afterAlertForm(w, r, p, err, "test-sent")
}
