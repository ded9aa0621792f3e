package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportDownload serves /audits/{id}/report/{doc}?format=md|pdf:
// management's assertion or the system description, drafted from the
// engagement and the scope pages as they stand.
func (s *Server) auditReportDownload(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	doc, err := assay.ParseReportDocument(r.PathValue("doc"))
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "There is no such document.")
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	dl, err := s.app.AuditReportDownload(r.Context(), p.App(), id, doc, format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", dl.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+dl.Name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(dl.Body)))
	w.Header().Set("X-Content-SHA256", dl.Digest)
	_, _ = w.Write(dl.Body)
	return nil
}
