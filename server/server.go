// Package server is Assay's HTTP face: the server-rendered web UI (HTML
// forms, htmx for live filtering) and the JSON API under /api/v1. Both sit
// on the same authentication, authorisation and error mapping, defined once
// in this package.
package server

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/store"
)

//go:embed static
var staticFS embed.FS

// Config configures a Server.
type Config struct {
	// App is the application services the pages and the API call. Without
	// it, New builds one over Store, Clock, Criteria and Rule with the
	// embedded check library.
	App      *app.App
	Store    store.Store
	Criteria []assay.Criterion // the catalog, in framework order
	Rule     assay.ReadinessRule
	Clock    assay.Clock
	Logger   *slog.Logger
	// SecureCookies marks cookies Secure. Leave it on behind TLS; the
	// server also sets it on any request that arrived over TLS.
	SecureCookies bool
	// SessionTTL is how long a browser stays signed in (default 12 hours).
	SessionTTL time.Duration
	// Password hashing cost (tests lower it).
	PasswordParams auth.Params
	// NewOrgControls returns the controls a new organisation adopts.
	NewOrgControls func() []assay.Control
	// MaxBodyBytes limits request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Blobs stores evidence files; without it, file uploads are refused.
	Blobs *evidence.FS
	// MaxUploadBytes limits one evidence file (default 100 MB).
	MaxUploadBytes int64
	// LedgerKey is the ledger's public key (note form), shown with its
	// checkpoints on the Activity page and by the API.
	LedgerKey string
	// IssueCheckpoint signs a fresh checkpoint (if the ledger grew) and
	// returns the latest; the evidence bundle proves against it. Without
	// it, bundles use the latest stored checkpoint.
	IssueCheckpoint func(context.Context) (ledger.Checkpoint, error)
	// Monitor runs monitoring sources (server/monitor_service.go); nil
	// turns running, pushing, importing and secrets off.
	Monitor MonitorService
	// Alerts sends monitoring alerts and manages alert channels (package
	// monitor/alert); nil turns alert channels off.
	Alerts *alert.Notifier
}

// Server serves the UI and the API.
type Server struct {
	cfg       Config
	app       *app.App
	store     store.Store
	clock     assay.Clock
	log       *slog.Logger
	criteria  []assay.Criterion
	criterion map[string]assay.Criterion
	pages     *pages
	mux       *http.ServeMux
	handler   http.Handler
	logins    *throttle
}

// New builds a Server; it parses every template and fails if one is broken.
func New(cfg Config) (*Server, error) {
	if cfg.Clock == nil {
		cfg.Clock = assay.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.PasswordParams.KeyLen == 0 {
		cfg.PasswordParams = auth.DefaultParams
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.NewOrgControls == nil {
		cfg.NewOrgControls = func() []assay.Control { return nil }
	}
	if cfg.App == nil {
		a, err := app.New(app.Config{Store: cfg.Store, Clock: cfg.Clock, Criteria: cfg.Criteria, Rule: cfg.Rule,
			Checks: catalog.LibraryCheckList, Blobs: cfg.Blobs, Snapshots: runner.LoadSnapshot, PasswordParams: cfg.PasswordParams, Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		cfg.App = a
	}
	if cfg.Alerts != nil && !cfg.App.AlertsEnabled() {
		cfg.App = cfg.App.WithAlerts(cfg.Alerts)
	}
	s := &Server{cfg: cfg, app: cfg.App, store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, criteria: cfg.Criteria,
		criterion: map[string]assay.Criterion{}, mux: http.NewServeMux(),
		// Ten failed sign-ins in 15 minutes, per email or per client address.
		logins: newThrottle(cfg.Clock, 10, 15*time.Minute)}
	for _, c := range cfg.Criteria {
		s.criterion[c.ID] = c
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	// Browsers say where a request comes from (Sec-Fetch-Site, Origin); a
	// state-changing request from another origin is refused before any
	// handler runs. Forms also carry a per-session token (see csrf.go).
	cop := http.NewCrossOriginProtection()
	s.handler = securityHeaders(cop.Handler(s.authenticate(s.mux)))
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.mux.HandleFunc("GET /healthz", s.healthz)

	// Signing in and first run: no user yet.
	s.publicPage("GET /login", s.loginPage)
	s.publicPage("POST /login", s.login)
	s.publicPage("POST /logout", s.logout)
	s.publicPage("GET /setup", s.setupPage)
	s.publicPage("POST /setup", s.setup)

	// Pages. Each names the action it needs; page() checks it.
	s.page("GET /{$}", assay.ActionRead, s.dashboardPage)
	s.page("GET /controls", assay.ActionRead, s.controlsPage)
	s.page("GET /controls/new", assay.ActionManageControls, s.newControlPage)
	s.page("POST /controls", assay.ActionManageControls, s.createControlForm)
	s.page("GET /controls/{id}", assay.ActionRead, s.controlPage)
	s.page("POST /controls/{id}", assay.ActionRead, s.updateControlForm) // per-control check inside
	s.page("GET /criteria", assay.ActionRead, s.criteriaPage)
	s.page("GET /criteria/{id}", assay.ActionRead, s.criterionPage)
	s.page("GET /scope", assay.ActionRead, s.scopePage)
	s.page("POST /scope/categories", assay.ActionEditScope, s.updateScopeForm)
	s.page("POST /scope/system", assay.ActionEditScope, s.updateSystemForm)
	s.page("GET /activity", assay.ActionReadActivity, s.activityPage)
	s.page("GET /settings/users", assay.ActionManageUsers, s.usersPage)
	s.page("POST /settings/users", assay.ActionManageUsers, s.createUserForm)
	s.page("POST /settings/users/{id}", assay.ActionManageUsers, s.updateUserForm)
	s.page("GET /settings/tokens", assay.ActionManageUsers, s.tokensPage)
	s.page("POST /settings/tokens", assay.ActionManageUsers, s.createTokenForm)
	s.page("POST /settings/tokens/{id}/revoke", assay.ActionManageUsers, s.revokeTokenForm)

	// The JSON API.
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
	s.evidenceRoutes() // evidence pages and API (evidence_routes.go)
	s.ledgerRoutes()   // the ledger's checkpoint and proofs (ledger.go)
	s.auditRoutes()    // audit engagements, periods and samples (audit_routes.go)
	s.registerRoutes() // risk register and vendors (register_routes.go)
	s.exportRoutes()   // control matrix, evidence bundle, OSCAL (export.go)
	s.incidentRoutes() // incidents and corrective actions (incident_routes.go)
	s.policyRoutes()   // policies, versions, acceptances and the portal's policy pages (policy_routes.go)
	s.peopleRoutes()   // roster, checklists, training, employee portal (people_routes.go)
	// Monitoring checks, sources, runs and alerts (monitoring_routes.go).
	s.monitoringRoutes()
	// Access reviews, Upcoming and the calendar feed (access_review_routes.go).
	s.accessReviewRoutes()
	s.publicAPI("GET /api/v1/openapi.json", s.openAPI)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, assay.Errorf(assay.ENOTFOUND, "No such API endpoint: %s %s.", r.Method, r.URL.Path))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, assay.Errorf(assay.ENOTFOUND, "There is no page at %s.", r.URL.Path))
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "not answering"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": assay.Version})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
