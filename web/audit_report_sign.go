package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportSignForm records management's sign-off of the text the form
// showed (its SHA-256 travels with the form).
func (s *Server) auditReportSignForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	n := assay.NewSignoff{Document: assay.ReportDocument(r.PostFormValue("document")), Digest: r.PostFormValue("sha256"),
		SignerName: r.PostFormValue("signer_name"), SignerTitle: r.PostFormValue("signer_title")}
	if v := strings.TrimSpace(r.PostFormValue("signer_user_id")); v != "" {
		if n.SignerUserID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("signer_user_id", "Choose the signer from the list.")
		}
	}
	if err == nil {
		_, err = s.app.SignAuditDocument(r.Context(), p.App(), id, n)
	}
	return s.afterAuditReportForm(w, r, p, id, err, "signed", r.PostForm)
}
