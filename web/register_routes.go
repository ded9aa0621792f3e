package web

import "github.com/assay-platform/assay"

// registerRoutes registers the risk register and vendor pages and API.
// Admins manage both registers; members edit the risks and vendors they
// own (checked per record); auditors and viewers read.
func (s *Server) registerRoutes() {
	s.page("GET /risks", assay.ActionRead, s.risksPage)
	s.page("POST /risks", assay.ActionManageRegisters, s.createRiskForm)
	s.page("POST /risks/adopt", assay.ActionManageRegisters, s.adoptRisksForm)
	s.page("POST /risks/import", assay.ActionManageRegisters, s.importRisksForm)
	s.page("POST /risks/assessments", assay.ActionManageRegisters, s.createAssessmentForm)
	s.page("GET /risks/{id}", assay.ActionRead, s.riskPage)
	s.page("POST /risks/{id}", assay.ActionEditRegisters, s.updateRiskForm) // per-risk check inside
	s.page("GET /vendors", assay.ActionRead, s.vendorsPage)
	s.page("POST /vendors", assay.ActionManageRegisters, s.createVendorForm)
	s.page("POST /vendors/import", assay.ActionManageRegisters, s.importVendorsForm)
	s.page("GET /vendors/{id}", assay.ActionRead, s.vendorPage)
	s.page("POST /vendors/{id}", assay.ActionEditRegisters, s.updateVendorForm)        // per-vendor check inside
	s.page("POST /vendors/{id}/review", assay.ActionEditRegisters, s.reviewVendorForm) // per-vendor check inside

}
