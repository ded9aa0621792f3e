package httpkit

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// Allow says whether p's role may take a route that needs action. An
// auditor invited for one engagement is told a route outside its areas
// does not exist (404), as every object outside it is; the services
// decide again per object, this is only the route's first gate.
func Allow(p *Principal, action assay.Action, r *http.Request) error {
	if !engagementMayReach(p.User.EngagementLimited(), r.Pattern) {
		return assay.Errorf(assay.ENOTFOUND, "There is nothing at %s.", r.URL.Path)
	}
	if !p.User.Can(action, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role)
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
