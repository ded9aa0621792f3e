package api

import "github.com/assay-platform/assay"

// accessReviewRoutes registers access review campaigns, the Upcoming list
// and its calendar feed. Admins run campaigns; system owners (members)
// decide their systems' accounts (checked per account in the store).
func (s *Server) accessReviewRoutes() {

	s.api("GET /api/v1/access-reviews", assay.ActionReadPeople, s.apiAccessReviews)
	s.api("POST /api/v1/access-reviews", assay.ActionManageAccessReviews, s.apiCreateAccessReview)
	s.api("GET /api/v1/access-reviews/{id}", assay.ActionReadPeople, s.apiAccessReview)
	s.api("PATCH /api/v1/access-reviews/{id}", assay.ActionManageAccessReviews, s.apiUpdateAccessReview)
	s.api("DELETE /api/v1/access-reviews/{id}", assay.ActionManageAccessReviews, s.apiDeleteAccessReview)
	s.api("GET /api/v1/access-reviews/{id}/accounts", assay.ActionReadPeople, s.apiAccessAccounts)
	s.api("POST /api/v1/access-reviews/{id}/accounts", assay.ActionManageAccessReviews, s.apiLoadAccessAccounts)
	s.api("POST /api/v1/access-reviews/{id}/accounts/{account}/decision", assay.ActionReviewAccess, s.apiDecideAccess)
	s.api("POST /api/v1/access-reviews/{id}/complete", assay.ActionManageAccessReviews, s.apiCompleteAccessReview)
	s.api("GET /api/v1/access-reviews/{id}/export.csv", assay.ActionReadPeople, s.accessReviewCSV)

	s.api("GET /api/v1/upcoming", assay.ActionRead, s.apiUpcoming) // upcoming.go
}
