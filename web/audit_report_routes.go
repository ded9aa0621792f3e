package web

import "github.com/assay-platform/assay"

// auditReportRoutes registers the report package's pages. The gate only
// asks that the person reads the program; who may do what is decided in
// app (app/audit_report_access.go).
func (s *Server) auditReportRoutes() {
	s.page("GET /audits/{id}/report", assay.ActionRead, s.auditReportPage)
	s.page("GET /audits/{id}/report/{doc}", assay.ActionRead, s.auditReportDownload)
	s.page("POST /audits/{id}/report/signoffs", assay.ActionRead, s.auditReportSignForm)
	s.uploadPage("POST /audits/{id}/report/files", assay.ActionRead, s.auditReportUpload)
	s.page("GET /audits/{id}/report/files/{file}", assay.ActionRead, s.auditReportFileDownload)
	s.page("POST /audits/{id}/report/comments", assay.ActionRead, s.auditReportCommentForm)
	s.page("POST /audits/{id}/report/comments/{comment}/resolve", assay.ActionRead, s.auditReportResolveForm)
}
