package httpkit

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// Allow says whether p's role may take a route that needs action, and
// whether an engagement-limited auditor may open this path at all. The
// services decide again per object; this is the route's first gate.
func Allow(p *Principal, action assay.Action, r *http.Request) error {
	if !p.User.Can(action, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role)
	}
	if !engagementMayOpen(p.User, r.Method, r.URL.Path) {
		return assay.Errorf(assay.EFORBIDDEN, "Your access is limited to audit engagement %d.", p.User.EngagementID)
	}
	return nil
}

// ValidCSRF says whether token is the session's anti-forgery token. A
// principal without a session (an API token) needs none.
func ValidCSRF(p *Principal, token string) bool {
	return p.Session == nil || auth.Equal(token, p.Session.CSRFToken)
}

// Changes says whether the request's method changes state.
func Changes(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}
