package httpkit

import (
	"testing"

	"github.com/assay-platform/assay"
)

func TestEngagementMayOpen(t *testing.T) {
	u := assay.User{Role: assay.RoleAuditor, EngagementID: 7}
	for _, c := range []struct {
		method, path string
		want         bool
	}{
		{"GET", "/audits/7", true}, {"GET", "/api/v1/audits/7/period", true}, {"POST", "/api/v1/audits/7/samples", true},
		{"GET", "/controls/ACC-01", true}, {"GET", "/evidence/3", true}, {"GET", "/api/v1/criteria", true},
		{"GET", "/audits/70", false}, {"GET", "/audits", false}, {"GET", "/api/v1/audits", false}, {"GET", "/controls", false},
		{"POST", "/api/v1/audits/8/samples", false}, {"PATCH", "/api/v1/controls/ACC-01", false}, {"GET", "/", false},
		{"GET", "/settings/users", false}, {"POST", "/evidence-requests", false},
	} {
		if got := engagementMayOpen(u, c.method, c.path); got != c.want {
			t.Errorf("MayOpen(%s %s) = %v", c.method, c.path, got)
		}
	}
	if !engagementMayOpen(assay.User{Role: assay.RoleAuditor}, "GET", "/audits") {
		t.Error("an auditor without an engagement is limited")
	}
}
