package api

import "github.com/assay-platform/assay"

// auditRoutes registers the audit engagement pages and API. An auditor
// invited for one engagement is limited by httpkit.Allow (httpkit/engagement_routes.go), checked in
// page() and api().
func (s *Server) auditRoutes() {

	s.api("GET /api/v1/audits", assay.ActionRead, s.apiAudits)
	s.api("POST /api/v1/audits", assay.ActionManageAudits, s.apiCreateAudit)
	s.api("GET /api/v1/audits/{id}", assay.ActionRead, s.apiAudit)
	s.api("PATCH /api/v1/audits/{id}", assay.ActionManageAudits, s.apiUpdateAudit)
	s.api("GET /api/v1/audits/{id}/period", assay.ActionRead, s.apiAuditPeriod)
	s.api("GET /api/v1/audits/{id}/population", assay.ActionRead, s.apiAuditPopulation)
	s.api("GET /api/v1/audits/{id}/samples", assay.ActionRead, s.apiAuditSamples)
	s.api("POST /api/v1/audits/{id}/samples", assay.ActionSampleAudit, s.apiCreateAuditSample)
	s.api("GET /api/v1/audits/{id}/samples/{sample}/population", assay.ActionRead, s.apiAuditSamplePopulation)
	s.api("POST /api/v1/audits/{id}/requests/import", assay.ActionRequestEvidence, s.apiImportRequestList)
	s.api("POST /api/v1/audits/{id}/samples/{sample}/requests", assay.ActionRequestEvidence, s.apiSampleRequests)
	s.api("POST /api/v1/audits/{id}/auditors", assay.ActionManageUsers, s.apiInviteAuditor)
	s.auditReportRoutes()
}
