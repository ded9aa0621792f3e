// Package api is Assay's JSON API under /api/v1, described by the OpenAPI
// document it serves (openapi.json). Handlers return the error they meet;
// api() writes it as {"error":{"code","message","field"}} with the mapped
// status. Exports (control matrix, evidence bundle, OSCAL) and CSV
// downloads are served here too. The pages are package web; both stand on
// package httpkit.
package api

import (
	"log/slog"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/store"
)

// Server serves the API.
type Server struct {
	cfg      httpkit.Config
	app      *app.App
	store    store.Store
	clock    assay.Clock
	log      *slog.Logger
	criteria []assay.Criterion
	mux      *httpkit.Mux
}

// New registers the API's routes on mux. cfg must have its defaults and
// App set.
func New(cfg httpkit.Config, mux *httpkit.Mux) *Server {
	s := &Server{cfg: cfg, app: cfg.App, store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, criteria: cfg.Criteria, mux: mux}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.api("GET /api/v1/me", assay.ActionRead, s.apiMe)
	s.api("GET /api/v1/criteria", assay.ActionRead, s.apiCriteria)
	s.api("GET /api/v1/controls", assay.ActionRead, s.apiControls)
	s.api("POST /api/v1/controls", assay.ActionManageControls, s.apiCreateControl)
	s.api("GET /api/v1/controls/{id}", assay.ActionRead, s.apiControl)
	s.api("PATCH /api/v1/controls/{id}", assay.ActionRead, s.apiUpdateControl) // per-control check inside
	s.api("GET /api/v1/readiness", assay.ActionRead, s.apiReadiness)
	s.api("GET /api/v1/scope", assay.ActionRead, s.apiScope)
	s.api("PUT /api/v1/scope", assay.ActionEditScope, s.apiUpdateScope)
	s.api("GET /api/v1/activity", assay.ActionReadActivity, s.apiActivity)
	s.api("GET /api/v1/users", assay.ActionManageUsers, s.apiUsers)
	s.api("GET /api/v1/mfa-policy", assay.ActionManageUsers, s.apiMFAPolicy)
	s.api("PUT /api/v1/mfa-policy", assay.ActionManageUsers, s.apiSetMFAPolicy)
	s.api("GET /api/v1/sso", assay.ActionManageUsers, s.apiSSOSettings)
	s.api("PUT /api/v1/sso", assay.ActionManageUsers, s.apiSetSSOSettings)
	s.digestRoutes()       // reminder digests: own choices and the defaults (digest.go)
	s.evidenceRoutes()     // evidence_routes.go
	s.ledgerRoutes()       // the ledger's checkpoint and proofs (ledger.go)
	s.auditRoutes()        // audit engagements, periods and samples (audit_routes.go)
	s.registerRoutes()     // risk register and vendors (register_routes.go)
	s.exportRoutes()       // control matrix, evidence bundle, OSCAL (export.go)
	s.incidentRoutes()     // incidents and corrective actions (incident_routes.go)
	s.policyRoutes()       // policies, versions and acceptances (policy_routes.go)
	s.peopleRoutes()       // roster, checklists, training (people_routes.go)
	s.monitoringRoutes()   // checks, sources, runs and alerts (monitoring_routes.go)
	s.accessReviewRoutes() // access reviews and Upcoming (access_review_routes.go)
	s.trustRoutes()        // the trust center's administration (trust.go)
	s.availabilityRoutes() // services, uptime, SLA, maintenance (availability.go)
	s.scimRoutes()         // the SCIM token and group-to-role mapping (scim_settings.go)
	s.public("GET /api/v1/openapi.json", s.openAPI)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, assay.Errorf(assay.ENOTFOUND, "No such API endpoint: %s %s.", r.Method, r.URL.Path))
	})
}
