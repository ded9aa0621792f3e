package web

import "github.com/assay-platform/assay"

// evidenceRoutes registers the evidence pages and API. Each route names
// the action it needs; finer checks (members and the controls they own,
// assignees and requesters) are in evidence_service.go.
func (s *Server) evidenceRoutes() {
	s.page("GET /evidence", assay.ActionRead, s.evidenceListPage)
	s.page("GET /evidence/new", assay.ActionAddEvidence, s.newEvidencePage)
	s.uploadPage("POST /evidence", assay.ActionAddEvidence, s.createEvidenceForm)
	s.page("GET /evidence/{id}", assay.ActionRead, s.evidencePage)
	s.page("GET /evidence/{id}/content", assay.ActionRead, s.evidenceContentPage)
	s.page("POST /evidence/{id}/controls", assay.ActionAddEvidence, s.evidenceControlsForm)
	s.page("GET /evidence-requests", assay.ActionRead, s.requestsPage)
	s.page("POST /evidence-requests", assay.ActionRequestEvidence, s.createRequestForm)
	s.page("GET /evidence-requests/{id}", assay.ActionRead, s.requestPage)
	s.page("POST /evidence-requests/{id}/submit", assay.ActionAddEvidence, s.submitRequestForm)
	s.page("POST /evidence-requests/{id}/decision", assay.ActionRequestEvidence, s.decideRequestForm)

}
