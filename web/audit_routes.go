package web

import "github.com/assay-platform/assay"

// auditRoutes registers the audit engagement pages and API. An auditor
// invited for one engagement is limited by httpkit.Allow (httpkit/engagement_routes.go), checked in
// page() and api().
func (s *Server) auditRoutes() {
	s.page("GET /audits", assay.ActionRead, s.auditsPage)
	s.page("POST /audits", assay.ActionManageAudits, s.createAuditForm)
	s.page("GET /audits/{id}", assay.ActionRead, s.auditPage)
	s.page("GET /audits/{id}/period", assay.ActionRead, s.auditPeriodPage)
	s.page("POST /audits/{id}/status", assay.ActionManageAudits, s.auditStatusForm)
	s.page("POST /audits/{id}/samples", assay.ActionSampleAudit, s.auditSampleForm)
	s.page("POST /audits/{id}/auditors", assay.ActionManageUsers, s.inviteAuditorForm)
	s.page("POST /audits/{id}/requests", assay.ActionRequestEvidence, s.createAuditRequestForm)
	s.page("POST /audits/{id}/requests/import", assay.ActionRequestEvidence, s.importAuditRequestsForm)
	s.page("POST /audits/{id}/samples/{sample}/requests", assay.ActionRequestEvidence, s.sampleRequestsForm)
	s.page("POST /evidence-requests/{id}/comments", assay.ActionRead, s.commentRequestForm)
	s.auditReportRoutes()

}
