package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// afterAuditForm ends the audit page's forms: on success, back to the audit
// with the flash; on a fault the person can fix, the page again with what
// they typed (less any password).
func (s *Server) afterAuditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/audits/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		form := r.PostForm
		form.Del("password")
		return s.showAudit(w, r, p, status, msg, form)
	})
}
