package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportRoutes registers the report package's API; who may do what
// is decided in app (app/audit_report_access.go).
func (s *Server) auditReportRoutes() {
	s.api("GET /api/v1/audits/{id}/report/{doc}", assay.ActionRead, s.apiAuditReportDocument)
}

// GET /api/v1/audits/{id}/report/{doc}: the document as JSON (its
// Markdown and SHA-256), or with ?format=md|pdf the file.
func (s *Server) apiAuditReportDocument(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
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
		t, err := s.app.AuditReportText(r.Context(), p.App(), id, doc)
		if err != nil {
			return err
		}
		httpkit.WriteJSON(w, http.StatusOK, t)
		return nil
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
