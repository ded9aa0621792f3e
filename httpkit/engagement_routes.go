package httpkit

import (
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// engagementPrefixes are the routes, besides the engagement's own pages
// and API, that an engagement-limited auditor may read: the things the
// engagement links to.
var engagementPrefixes = []string{
	"/controls/", "/criteria/", "/evidence/", "/evidence-requests/", "/activity",
	"/api/v1/me", "/api/v1/controls/", "/api/v1/criteria", "/api/v1/evidence/",
	"/api/v1/evidence-requests/", "/api/v1/activity",
}

// engagementMayOpen is the one place that limits an engagement-limited auditor: they
// may only read (GET or HEAD) their engagement's pages and API and what
// those link to, draw samples for it, and work on its report package
// (app/audit_report_access.go decides what each may do there). Every other user may open any
// route their role allows.
func engagementMayOpen(u assay.User, method, path string) bool {
	if !u.EngagementLimited() {
		return true
	}
	id := strconv.FormatInt(u.EngagementID, 10)
	if method != "GET" && method != "HEAD" {
		return method == "POST" && (path == "/audits/"+id+"/samples" || path == "/api/v1/audits/"+id+"/samples" ||
			strings.HasPrefix(path, "/audits/"+id+"/report/") || strings.HasPrefix(path, "/api/v1/audits/"+id+"/report/"))
	}
	for _, own := range []string{"/audits/" + id, "/api/v1/audits/" + id} {
		if path == own || strings.HasPrefix(path, own+"/") {
			return true
		}
	}
	for _, p := range engagementPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
