package web

import "github.com/assay-platform/assay"

// accessReviewRoutes registers access review campaigns, the Upcoming list
// and its calendar feed. Admins run campaigns; system owners (members)
// decide their systems' accounts (checked per account in the store).
func (s *Server) accessReviewRoutes() {
	s.page("GET /access-reviews", assay.ActionReadPeople, s.accessReviewsPage)
	s.page("POST /access-reviews", assay.ActionManageAccessReviews, s.createAccessReviewForm)
	s.page("GET /access-reviews/{id}", assay.ActionReadPeople, s.accessReviewPage)
	s.page("POST /access-reviews/{id}", assay.ActionManageAccessReviews, s.updateAccessReviewForm)
	s.page("POST /access-reviews/{id}/load", assay.ActionManageAccessReviews, s.loadAccessAccountsForm)
	s.page("POST /access-reviews/{id}/accounts/{account}/decide", assay.ActionReviewAccess, s.decideAccessForm)
	s.page("POST /access-reviews/{id}/complete", assay.ActionManageAccessReviews, s.completeAccessReviewForm)
	s.page("POST /access-reviews/{id}/delete", assay.ActionManageAccessReviews, s.deleteAccessReviewForm)

	s.upcomingRoutes() // the Upcoming list and the calendar feed (upcoming_routes.go)
}
