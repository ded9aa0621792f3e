// Package web is Assay's server-rendered face: pages built from embedded
// templates, HTML forms (htmx for live filtering), the employee portal,
// signing in and first-run setup. Handlers return the error they meet;
// page() writes it as an error page. The JSON API is package api; both
// stand on package httpkit.
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/sso"
	"github.com/assay-platform/assay/store"
)

//go:embed static
var staticFS embed.FS

// Server serves the pages.
type Server struct {
	cfg       httpkit.Config
	app       *app.App
	store     store.Store
	clock     assay.Clock
	log       *slog.Logger
	criteria  []assay.Criterion
	criterion map[string]assay.Criterion
	pages     *pages
	mux       *httpkit.Mux
	// trustForms limits the public trust center's request form.
	trustForms *trustLimiter
	trustHTML  trustRendered // /trust rendered once per built page
	oidc       *sso.OIDC     // OpenID providers, with their keys cached
	saml       *sso.SAML     // SAML identity providers' metadata, cached
}

// New parses every template (a broken one stops start-up) and registers
// the pages on mux. cfg must have its defaults and App set.
func New(cfg httpkit.Config, mux *httpkit.Mux) (*Server, error) {
	s := &Server{cfg: cfg, app: cfg.App, store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, criteria: cfg.Criteria,
		criterion: map[string]assay.Criterion{}, mux: mux, trustForms: newTrustLimiter(cfg.Clock),
		oidc: &sso.OIDC{Clock: cfg.Clock}, saml: &sso.SAML{Clock: cfg.Clock}}
	for _, c := range cfg.Criteria {
		s.criterion[c.ID] = c
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))

	// Signing in and first run: no user yet.
	s.publicPage("GET /login", s.loginPage)
	s.publicPage("POST /login", s.login)
	s.publicPage("GET /password/forgot", s.forgotPage)
	s.publicPage("POST /password/forgot", s.forgotPassword)
	s.publicPage("GET /password/reset", s.passwordSetPage)
	s.publicPage("POST /password/reset", s.setPasswordByLink)
	s.publicPage("GET /invite", s.passwordSetPage)
	s.publicPage("POST /invite", s.setPasswordByLink)
	s.publicPage("POST /logout", s.logout)
	// The second factor after the password (signin_mfa_*.go): the page of a
	// session's MFA stage, opened by nothing else.
	s.publicPage("GET /login/mfa", s.mfaCodePage)
	s.publicPage("POST /login/mfa", s.mfaCode)
	s.publicPage("GET /login/mfa/setup", s.mfaSetupPage)
	s.publicPage("POST /login/mfa/setup", s.mfaSetup)
	s.publicPage("POST /login/mfa/passkey/options", s.mfaPasskeyOptions)
	s.publicPage("POST /login/mfa/passkey", s.mfaPasskey)
	s.publicPage("GET /login/sso/{slug}", s.ssoStart)
	s.publicPage("GET /login/sso/{slug}/callback", s.ssoCallback)
	s.publicPage("GET /sso/{slug}/saml/metadata", s.samlMetadata)
	s.publicPage("POST /sso/{slug}/saml/acs", s.samlACS)
	s.publicPage("GET /setup", s.setupPage)
	s.publicPage("POST /setup", s.setup)
	s.trustRoutes()
	s.trustAdminRoutes()

	// Each page names the action it needs; page() checks it.
	s.page("GET /{$}", assay.ActionRead, s.dashboardPage)
	s.page("GET /controls", assay.ActionRead, s.controlsPage)
	s.page("GET /controls/new", assay.ActionManageControls, s.newControlPage)
	s.page("POST /controls", assay.ActionManageControls, s.createControlForm)
	s.page("POST /controls/owner", assay.ActionManageControls, s.updateControlOwnersForm)
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
	s.page("POST /settings/users/invite", assay.ActionManageUsers, s.inviteUserForm)
	s.page("POST /settings/users/{id}", assay.ActionManageUsers, s.updateUserForm)
	// A user's own account: everyone with the portal (every role but an
	// engagement's auditor) manages their own password, sessions and tokens.
	s.page("GET /account", assay.ActionUsePortal, s.accountPage)
	s.page("POST /account/password", assay.ActionUsePortal, s.changeOwnPassword)
	s.page("POST /account/sessions/{id}/end", assay.ActionUsePortal, s.endOwnSession)
	s.page("POST /account/tokens/{id}/revoke", assay.ActionUsePortal, s.revokeOwnToken)
	s.page("POST /account/mfa/setup", assay.ActionUsePortal, s.accountMFAStart)
	s.page("POST /account/mfa/confirm", assay.ActionUsePortal, s.accountMFAConfirm)
	s.page("POST /account/mfa/disable", assay.ActionUsePortal, s.accountMFADisable)
	s.page("POST /account/passkeys/options", assay.ActionUsePortal, s.accountPasskeyOptions)
	s.page("POST /account/passkeys", assay.ActionUsePortal, s.accountPasskeyAdd)
	s.page("POST /account/passkeys/{id}/remove", assay.ActionUsePortal, s.accountPasskeyRemove)
	s.page("GET /settings/mfa", assay.ActionManageUsers, s.mfaPolicyPage)
	s.page("POST /settings/mfa", assay.ActionManageUsers, s.updateMFAPolicyForm)
	s.page("GET /settings/sso", assay.ActionManageUsers, s.ssoSettingsPage)
	s.page("POST /settings/sso", assay.ActionManageUsers, s.updateSSOSettingsForm)
	s.page("GET /settings/tokens", assay.ActionManageUsers, s.tokensPage)
	s.page("POST /settings/tokens", assay.ActionManageUsers, s.createTokenForm)
	s.page("POST /settings/tokens/{id}/revoke", assay.ActionManageUsers, s.revokeTokenForm)
	s.page("GET /settings/scim", assay.ActionManageUsers, s.scimPage)
	s.page("POST /settings/scim/token", assay.ActionManageUsers, s.rotateSCIMTokenForm)
	s.page("POST /settings/scim/group-roles", assay.ActionManageUsers, s.updateSCIMGroupRoleForm)
	s.evidenceRoutes()                                        // evidence_routes.go
	s.auditRoutes()                                           // audit_routes.go
	s.registerRoutes()                                        // risk register and vendors (register_routes.go)
	s.page("GET /exports", assay.ActionExport, s.exportsPage) // export_list.go
	s.incidentRoutes()                                        // incidents and corrective actions (incident_routes.go)
	s.policyRoutes()                                          // policies and the portal's policy pages (policy_routes.go)
	s.peopleRoutes()                                          // roster, checklists, training, employee portal (people_routes.go)
	s.monitoringRoutes()                                      // checks, sources, runs and alerts (monitoring_routes.go)
	s.availabilityRoutes()                                    // services, uptime, SLA, maintenance (availability.go)
	s.accessReviewRoutes()                                    // access reviews, Upcoming and the calendar feed (access_review_routes.go)
	s.digestRoutes()                                          // reminder e-mails: own choices, defaults, unsubscribe (digest_pages.go)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, assay.Errorf(assay.ENOTFOUND, "There is no page at %s.", r.URL.Path))
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
