package api

import "github.com/assay-platform/assay"

// policyRoutes registers the policy pages, the employee portal's policy
// pages and the policy API. Everyone who reads the program reads policies;
// admins (ActionManagePolicies) adopt, edit, approve and publish; every
// signed-in person may read and accept the published versions that apply
// to them in the portal.
func (s *Server) policyRoutes() {

	s.api("GET /api/v1/policies", assay.ActionRead, s.apiPolicies)
	s.api("POST /api/v1/policies", assay.ActionManagePolicies, s.apiAdoptPolicy)
	s.api("GET /api/v1/policy-templates", assay.ActionRead, s.apiPolicyTemplates)
	s.api("GET /api/v1/policies/acceptances", assay.ActionRead, s.apiPolicyAcceptances)
	s.api("GET /api/v1/policies/acceptances.csv", assay.ActionRead, s.policyAcceptancesCSV)
	s.api("GET /api/v1/policies/{id}", assay.ActionRead, s.apiPolicy)
	s.api("PATCH /api/v1/policies/{id}", assay.ActionManagePolicies, s.apiUpdatePolicy)
	s.api("POST /api/v1/policies/{id}/versions", assay.ActionManagePolicies, s.apiEditPolicy)
	s.api("POST /api/v1/policies/{id}/transitions", assay.ActionManagePolicies, s.apiMovePolicy)
	s.api("POST /api/v1/policies/{id}/review", assay.ActionManagePolicies, s.apiReviewPolicy)
	s.api("GET /api/v1/policies/{id}/acceptances", assay.ActionRead, s.apiPolicyAcceptances)
	s.api("POST /api/v1/policies/{id}/acceptances", assay.ActionManagePolicies, s.apiRecordAcceptance)
	s.api("GET /api/v1/policies/{id}/acceptances.csv", assay.ActionRead, s.policyAcceptancesCSV)
}
