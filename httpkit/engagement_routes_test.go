package httpkit

import "testing"

func TestEngagementMayReach(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    bool
	}{
		{"GET /audits/{id}", true}, {"POST /api/v1/audits/{id}/samples", true}, {"GET /api/v1/evidence/{id}/content", true},
		{"POST /evidence-requests", true}, {"GET /people", false}, {"GET /settings/users", false},
		{"PATCH /api/v1/controls/{id}", false}, {"GET /api/v1/exports/oscal.json", false}, {"", false},
	} {
		if got := engagementMayReach(true, c.pattern); got != c.want {
			t.Errorf("engagementMayReach(%q) = %v", c.pattern, got)
		}
	}
	if !engagementMayReach(false, "GET /people") {
		t.Error("a user without an engagement is limited")
	}
}
