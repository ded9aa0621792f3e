package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) createAuditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	b := input.NewAuditBody{Type: assay.AuditType(r.PostFormValue("type")), Name: r.PostFormValue("name"), Firm: r.PostFormValue("firm"),
		AsOf: r.PostFormValue("as_of"), PeriodStart: r.PostFormValue("period_start"), PeriodEnd: r.PostFormValue("period_end")}
	n, err := input.NewAudit(b)
	if err == nil {
		var a app.AuditView
		if a, err = s.app.CreateAudit(r.Context(), p.App(), n); err == nil {
			flash := "audit-created"
			if len(a.Warnings) > 0 {
				flash = "audit-created-short"
			}
			http.Redirect(w, r, fmt.Sprintf("/audits/%d?flash=%s", a.ID, flash), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showAudits(w, r, p, status, msg, r.PostForm)
	})
}
