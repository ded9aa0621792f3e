package web

import "github.com/assay-platform/assay"

// auditReportRoutes registers the report package's pages; who may do what
// is decided in app (app/audit_report_access.go).
func (s *Server) auditReportRoutes() {
	s.page("GET /audits/{id}/report/{doc}", assay.ActionRead, s.auditReportDownload)
}
