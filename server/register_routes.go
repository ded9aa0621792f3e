package server

import "github.com/assay-platform/assay"

// registerRoutes registers the risk register and vendor pages and API.
// Admins manage both registers; members edit the risks and vendors they
// own (checked per record); auditors and viewers read.
func (s *Server) registerRoutes() {
	s.page("GET /risks", assay.ActionRead, s.risksPage)
	s.page("POST /risks", assay.ActionManageRegisters, s.createRiskForm)
	s.page("POST /risks/adopt", assay.ActionManageRegisters, s.adoptRisksForm)
	s.page("POST /risks/import", assay.ActionManageRegisters, s.importRisksForm)
	s.page("GET /risks/export.csv", assay.ActionRead, s.exportRisksCSV)
	s.page("POST /risks/assessments", assay.ActionManageRegisters, s.createAssessmentForm)
	s.page("GET /risks/{id}", assay.ActionRead, s.riskPage)
	s.page("POST /risks/{id}", assay.ActionEditRegisters, s.updateRiskForm) // per-risk check inside
	s.page("GET /vendors", assay.ActionRead, s.vendorsPage)
	s.page("POST /vendors", assay.ActionManageRegisters, s.createVendorForm)
	s.page("POST /vendors/import", assay.ActionManageRegisters, s.importVendorsForm)
	s.page("GET /vendors/export.csv", assay.ActionRead, s.exportVendorsCSV)
	s.page("GET /vendors/{id}", assay.ActionRead, s.vendorPage)
	s.page("POST /vendors/{id}", assay.ActionEditRegisters, s.updateVendorForm)        // per-vendor check inside
	s.page("POST /vendors/{id}/review", assay.ActionEditRegisters, s.reviewVendorForm) // per-vendor check inside

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
