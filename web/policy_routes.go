package web

import "github.com/assay-platform/assay"

// policyRoutes registers the policy pages, the employee portal's policy
// pages and the policy API. Everyone who reads the program reads policies;
// admins (ActionManagePolicies) adopt, edit, approve and publish; every
// signed-in person may read and accept the published versions that apply
// to them in the portal.
func (s *Server) policyRoutes() {
	s.page("GET /policies", assay.ActionRead, s.policiesPage)
	s.page("POST /policies", assay.ActionManagePolicies, s.adoptPolicyForm)
	s.page("GET /policies/templates", assay.ActionManagePolicies, s.policyTemplatesPage)
	s.page("GET /policies/{id}", assay.ActionRead, s.policyPage)
	s.page("POST /policies/{id}/settings", assay.ActionManagePolicies, s.policySettingsForm)
	s.page("POST /policies/{id}/review", assay.ActionManagePolicies, s.policyReviewForm)
	s.page("GET /policies/{id}/edit", assay.ActionManagePolicies, s.policyEditPage)
	s.page("POST /policies/{id}/edit", assay.ActionManagePolicies, s.policyEditForm)
	s.page("POST /policies/{id}/preview", assay.ActionManagePolicies, s.policyPreview)
	s.page("POST /policies/{id}/versions/{vid}/move", assay.ActionManagePolicies, s.policyMoveForm)
	s.page("GET /policies/{id}/versions/{file}", assay.ActionRead, s.policyVersionFile)
	s.page("GET /policies/{id}/diff", assay.ActionRead, s.policyDiffPage)

	s.page("GET /portal/policies/{vid}", assay.ActionUsePortal, s.portalPolicyPage)
	s.page("POST /portal/policies/{vid}/accept", assay.ActionUsePortal, s.portalAcceptForm)

}
