package api

import "github.com/assay-platform/assay"

// evidenceRoutes registers the evidence pages and API. Each route names
// the action it needs; finer checks (members and the controls they own,
// assignees and requesters) are in evidence_service.go.
func (s *Server) evidenceRoutes() {

	s.api("GET /api/v1/evidence", assay.ActionRead, s.apiEvidenceList)
	s.api("POST /api/v1/evidence", assay.ActionAddEvidence, s.apiCreateEvidence)
	s.api("GET /api/v1/evidence/{id}", assay.ActionRead, s.apiEvidence)
	s.api("GET /api/v1/evidence/{id}/content", assay.ActionRead, s.apiEvidenceContent)
	s.api("POST /api/v1/evidence/{id}/controls", assay.ActionAddEvidence, s.apiEvidenceControls)
	s.api("GET /api/v1/evidence-requests", assay.ActionRead, s.apiEvidenceRequests)
	s.api("POST /api/v1/evidence-requests", assay.ActionRequestEvidence, s.apiCreateEvidenceRequest)
	s.api("GET /api/v1/evidence-requests/{id}", assay.ActionRead, s.apiEvidenceRequest)
	s.api("POST /api/v1/evidence-requests/{id}/submit", assay.ActionAddEvidence, s.apiSubmitEvidenceRequest)
	s.api("POST /api/v1/evidence-requests/{id}/decision", assay.ActionRequestEvidence, s.apiDecideEvidenceRequest)
	s.api("GET /api/v1/evidence-requests/{id}/comments", assay.ActionRead, s.apiRequestComments)
	s.api("POST /api/v1/evidence-requests/{id}/comments", assay.ActionRead, s.apiCommentRequest)
}
