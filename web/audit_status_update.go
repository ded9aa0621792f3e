package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) auditStatusForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		_, err = s.app.SetAuditStatus(r.Context(), p.App(), id, assay.AuditStatus(r.PostFormValue("status")))
	}
	return s.afterAuditForm(w, r, p, id, err, "audit-saved")
}
