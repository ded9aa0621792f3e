package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditCorrectiveForm is the button on an audit's exceptions.
func (s *Server) auditCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	var c assay.CorrectiveAction
	if err == nil {
		var ex app.AuditException
		if ex, err = input.AuditException(r.PostFormValue("control_id"), r.PostFormValue("exception"), 0, ""); err == nil {
			c, err = s.app.CorrectAuditException(r.Context(), p.App(), id, ex)
		}
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/corrective-actions?flash=created#ca-%d", c.ID), http.StatusSeeOther)
		return nil
	}
	return s.afterAuditForm(w, r, p, id, err, "")
}
