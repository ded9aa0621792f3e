package web

import (
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportUpload stores the auditor's draft or final report.
func (s *Server) auditReportUpload(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, mr *multipart.Reader) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	f, err := s.cfg.Transfer().ReceiveAuditReport(r.Context(), p, id, mr)
	if err == nil {
		s.log.Info("audit report uploaded", "audit", id, "file", f.ID, "kind", f.Kind, "sha256", f.Digest)
	}
	return s.afterAuditReportForm(w, r, p, id, err, "uploaded", url.Values{})
}
