package api

import "github.com/assay-platform/assay"

// registerRoutes registers the risk register and vendor pages and API.
// Admins manage both registers; members edit the risks and vendors they
// own (checked per record); auditors and viewers read.
func (s *Server) registerRoutes() {

	s.api("GET /api/v1/risks", assay.ActionRead, s.apiRisks)
	s.api("POST /api/v1/risks", assay.ActionManageRegisters, s.apiCreateRisk)
	s.api("GET /api/v1/risks/export.csv", assay.ActionRead, s.exportRisksCSV)
	s.api("POST /api/v1/risks/import", assay.ActionManageRegisters, s.apiImportRisks)
	s.api("POST /api/v1/risks/adopt", assay.ActionManageRegisters, s.apiAdoptRisks)
	s.api("GET /api/v1/risks/{id}", assay.ActionRead, s.apiRisk)
	s.api("PUT /api/v1/risks/{id}", assay.ActionEditRegisters, s.apiUpdateRisk) // per-risk check inside
	s.api("GET /api/v1/risk-templates", assay.ActionRead, s.apiRiskTemplates)
	s.api("GET /api/v1/risk-assessments", assay.ActionRead, s.apiRiskAssessments)
	s.api("POST /api/v1/risk-assessments", assay.ActionManageRegisters, s.apiCreateRiskAssessment)
	s.api("GET /api/v1/vendors", assay.ActionRead, s.apiVendors)
	s.api("POST /api/v1/vendors", assay.ActionManageRegisters, s.apiCreateVendor)
	s.api("GET /api/v1/vendors/export.csv", assay.ActionRead, s.exportVendorsCSV)
	s.api("POST /api/v1/vendors/import", assay.ActionManageRegisters, s.apiImportVendors)
	s.api("GET /api/v1/vendors/{id}", assay.ActionRead, s.apiVendor)
	s.api("PUT /api/v1/vendors/{id}", assay.ActionEditRegisters, s.apiUpdateVendor)         // per-vendor check inside
	s.api("POST /api/v1/vendors/{id}/review", assay.ActionEditRegisters, s.apiReviewVendor) // per-vendor check inside
	s.api("GET /api/v1/vendor-questions", assay.ActionRead, s.apiVendorQuestions)
}
