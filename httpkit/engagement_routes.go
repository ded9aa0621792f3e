package httpkit

import "github.com/assay-platform/assay"

// engagementRoutes are the route patterns an auditor invited for one
// engagement may reach at all: the engagement's own pages and API and the
// kinds of object it holds. This is only a coarse gate, answering 404 for
// whole areas (people, risks, settings...) before a handler runs. Which
// engagement, control, evidence item, request or activity entry they may
// see is decided per object as it is loaded (app/engagement_view.go).
var engagementRoutes = map[string]bool{
	"GET /{$}":    true, // sent on to the engagement (web/page.go)
	"GET /audits": true, "GET /audits/{id}": true, "GET /audits/{id}/period": true, "POST /audits/{id}/samples": true,
	"GET /controls": true, "GET /controls/{id}": true,
	"GET /criteria": true, "GET /criteria/{id}": true,
	"GET /evidence": true, "GET /evidence/{id}": true, "GET /evidence/{id}/content": true,
	"GET /evidence-requests": true, "GET /evidence-requests/{id}": true,
	"POST /evidence-requests": true, "POST /evidence-requests/{id}/decision": true,
	"GET /activity": true,

	"GET /api/v1/me":     true,
	"GET /api/v1/audits": true, "GET /api/v1/audits/{id}": true, "GET /api/v1/audits/{id}/period": true,
	"GET /api/v1/audits/{id}/population": true, "GET /api/v1/audits/{id}/samples": true,
	"POST /api/v1/audits/{id}/samples":                    true,
	"GET /api/v1/audits/{id}/exports/control-matrix.xlsx": true, "GET /api/v1/audits/{id}/exports/evidence-bundle.zip": true,
	"GET /api/v1/audits/{id}/exports/oscal.json": true,
	"GET /api/v1/controls":                       true, "GET /api/v1/controls/{id}": true,
	"GET /api/v1/criteria": true,
	"GET /api/v1/evidence": true, "GET /api/v1/evidence/{id}": true, "GET /api/v1/evidence/{id}/content": true,
	"GET /api/v1/evidence-requests": true, "GET /api/v1/evidence-requests/{id}": true,
	"POST /api/v1/evidence-requests": true, "POST /api/v1/evidence-requests/{id}/decision": true,
	"GET /api/v1/activity": true,

	// The engagement's frozen populations, the auditor's workpaper and the
	// report package (app/audit_report_access.go decides what each may do there).
	"GET /api/v1/audits/{id}/samples/{sample}/population": true,
	"GET /api/v1/audits/{id}/exports/workpaper.xlsx":      true,
	// The engagement's request list and the threads on its requests.
	"POST /audits/{id}/requests": true, "POST /audits/{id}/requests/import": true, "POST /audits/{id}/samples/{sample}/requests": true,
	"POST /evidence-requests/{id}/comments":    true,
	"POST /api/v1/audits/{id}/requests/import": true, "POST /api/v1/audits/{id}/samples/{sample}/requests": true,
	"GET /api/v1/evidence-requests/{id}/comments": true, "POST /api/v1/evidence-requests/{id}/comments": true,
	"GET /audits/{id}/report": true, "GET /audits/{id}/report/{doc}": true, "GET /audits/{id}/report/files/{file}": true,
	"POST /audits/{id}/report/files": true, "POST /audits/{id}/report/comments": true,
	"POST /audits/{id}/report/signoffs": true, "POST /audits/{id}/report/comments/{comment}/resolve": true,
	"GET /api/v1/audits/{id}/report": true, "GET /api/v1/audits/{id}/report/{doc}": true, "GET /api/v1/audits/{id}/report/files/{file}": true,
	"POST /api/v1/audits/{id}/report/files": true, "POST /api/v1/audits/{id}/report/comments": true,
	"POST /api/v1/audits/{id}/report/signoffs": true, "POST /api/v1/audits/{id}/report/comments/{comment}/resolve": true,
}

// engagementMayReach says whether a route is open to the user at all: every
// route for everyone but an engagement-limited auditor, for whom only the
// engagement's areas are.
func engagementMayReach(limited bool, pattern string) bool {
	return !limited || engagementRoutes[pattern]
}

// MayReach says whether u may open a route that needs action, as Allow
// decides it: for menus and buttons, so they lead only where the person
// may go.
func MayReach(u assay.User, action assay.Action, pattern string) bool {
	return u.Can(action, nil) && engagementMayReach(u.EngagementLimited(), pattern)
}
