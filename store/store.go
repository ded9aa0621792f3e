// Package store defines how Assay persists its state: one interface, with
// adapters for SQLite (package store/sqlite) and PostgreSQL (package
// store/postgres) that share their SQL (package store/sqlstore) and pass one
// conformance suite (package store/storetest).
//
// Tenancy is structural: everything that belongs to an organisation is read
// and written through an OrgStore, which is bound to one organisation when
// it is made. The few unscoped methods on Store are the admin and
// sign-in paths, and they are named for what they do.
package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// Store is the database.
type Store interface {
	// Org returns the store bound to one organisation. It does not check
	// that the organisation exists; its methods return ENOTFOUND when not.
	Org(orgID int64) OrgStore

	// CreateOrganization creates an organisation and adopts the given
	// controls (the default library) in one transaction.
	CreateOrganization(ctx context.Context, actor assay.Actor, name, slug string, scope assay.Scope, controls []assay.Control) (assay.Organization, error)
	// Organizations lists every organisation (admin path).
	Organizations(ctx context.Context) ([]assay.Organization, error)
	// OrganizationBySlug finds an organisation by slug (admin path).
	OrganizationBySlug(ctx context.Context, slug string) (assay.Organization, error)

	// Sign-in paths: they find who is asking before any organisation is known.
	CountUsers(ctx context.Context) (int, error)
	UserByEmail(ctx context.Context, email string) (assay.User, string, error) // user and password hash
	UserBySession(ctx context.Context, tokenHash string) (assay.User, assay.Session, error)
	UserByAPIToken(ctx context.Context, tokenHash string) (assay.User, assay.APIToken, error)
	CreateSession(ctx context.Context, tokenHash string, s assay.Session) error
	DeleteSession(ctx context.Context, tokenHash string) error
	DeleteExpiredSessions(ctx context.Context) (int, error)
	// Setup tokens let the first admin in. ConsumeSetupToken succeeds once.
	CreateSetupToken(ctx context.Context, tokenHash string, expires time.Time) error
	ConsumeSetupToken(ctx context.Context, tokenHash string) error
	// OrgBySCIMToken is the organisation whose SCIM token has this hash
	// (EUNAUTHORIZED when none has).
	OrgBySCIMToken(ctx context.Context, tokenHash string) (int64, error)
	UserLinks      // password reset and invitation links (store/user_link.go)
	SignInThrottle // failures per (account, client address) pair and per minute (store/signin.go)

	Ledger // the tamper-evident log over the activity trail (store/ledger.go)

	MonitorScheduler // claims due monitoring sources across organisations (store/monitor.go)

	AvailabilityScheduler // claims due availability probes across organisations (store/availability.go)

	CalendarFeeds // the user behind a calendar feed token (store/access_review.go)

	TrustCenters // the organisation whose trust center is public (store/trust.go)

	SSOLogins // organisations offering single sign-on on the sign-in page (store/sso.go)

	Ping(ctx context.Context) error
	Close() error
}

// OrgStore is everything that belongs to one organisation.
type OrgStore interface {
	OrgID() int64
	Organization(ctx context.Context) (assay.Organization, error)
	UpdateScope(ctx context.Context, actor assay.Actor, scope assay.Scope) (assay.Organization, error)
	UpdateSystemDescription(ctx context.Context, actor assay.Actor, d assay.SystemDescription) (assay.Organization, error)

	Controls(ctx context.Context, f assay.ControlFilter) ([]assay.Control, error)
	Control(ctx context.Context, id string) (assay.Control, error)
	CreateControl(ctx context.Context, actor assay.Actor, c assay.Control) (assay.Control, error)
	UpdateControl(ctx context.Context, actor assay.Actor, id string, p assay.ControlPatch) (assay.Control, error)
	// SetControlOwners gives several controls one owner (0: nobody) in one
	// transaction, a ledgered control update per control that changes.
	SetControlOwners(ctx context.Context, actor assay.Actor, ids []string, ownerID int64) ([]assay.Control, error)

	Users(ctx context.Context) ([]assay.User, error)
	User(ctx context.Context, id int64) (assay.User, error)
	CreateUser(ctx context.Context, actor assay.Actor, u assay.NewUser, passwordHash string) (assay.User, error)
	UpdateUserRole(ctx context.Context, actor assay.Actor, id int64, role assay.Role) (assay.User, error)
	SetUserDisabled(ctx context.Context, actor assay.Actor, id int64, disabled bool) (assay.User, error)
	SetPassword(ctx context.Context, actor assay.Actor, id int64, passwordHash string) error
	RecordLogin(ctx context.Context, id int64, via string) error
	// RecordSecurityEvent writes a sign-in or API token event about one of
	// the organisation's users into the activity trail. EventSignIn also
	// sets the user's last sign-in; EventTokenNewAddress records the
	// token's address and writes an entry only when it replaces another (it returns ENOTFOUND for another user's or a revoked token).
	RecordSecurityEvent(ctx context.Context, ev assay.SecurityEvent) error
	// Sessions lists a user's live, complete sessions (not those still at
	// their second factor), newest first; EndSession ends
	// one of them by its SessionInfo.ID (ENOTFOUND when the user has none
	// by that name).
	Sessions(ctx context.Context, userID int64) ([]assay.SessionInfo, error)
	EndSession(ctx context.Context, actor assay.Actor, userID int64, id string) error

	CreateAPIToken(ctx context.Context, actor assay.Actor, t assay.APIToken, tokenHash string) (assay.APIToken, error)
	APITokens(ctx context.Context) ([]assay.APIToken, error)
	RevokeAPIToken(ctx context.Context, actor assay.Actor, id int64) error

	Activity(ctx context.Context, f assay.ActivityFilter) ([]assay.Activity, error)
	// ChangeSeq is the seq of the organisation's latest activity entry (0
	// when it has none). Every change appends one in its own transaction,
	// so an unchanged ChangeSeq means unchanged records: what lets a
	// server keep what it read (rules.Cache) until the next change, made
	// on it or on any other server.
	ChangeSeq(ctx context.Context) (int64, error)
	OrgLedger // proofs for the organisation's own ledger entries (store/ledger.go)

	EvidenceStore    // evidence items and requests (store/evidence.go)
	AuditStore       // audit engagements, populations and samples (store/audit.go)
	AuditReportStore // an engagement's sign-offs, draft and final report, comments (store/audit.go)
	IncidentStore    // incidents and corrective actions (store/incident.go)
	AlertStore       // alert channels and their delivery log (store/alert.go)
	RiskStore        // the risk register and risk assessments (store/risk.go)
	VendorStore      // vendors and their security reviews (store/risk.go)
	PolicyStore      // policies, versions and acceptances (store/policy.go)
	MonitorStore     // continuous monitoring: sources, runs, results history, findings (store/monitor.go)
	PeopleStore      // the roster and its checklists (store/people.go)
	TrainingStore    // training courses, assignments and completions (store/training.go)

	AccessReviewStore // access review campaigns and calendar feed tokens (store/access_review.go)
	TrustStore        // the public trust center (store/trust.go)
	MFAStore          // users' second factors and the MFA policy (store/mfa.go)
	SSOStore          // single sign-on settings, identities, SAML replay (store/sso.go)
	SCIMStore         // SCIM provisioning: token, users, groups, group roles (store/scim.go)
	UserLinkStore     // password reset and invitation links (store/user_link.go)

	MonitorPeriodStore // monitoring history over an audit period (store/monitor_period.go)

	AvailabilityStore // availability monitoring: services, probes, uptime (store/availability.go)

	DigestStore // reminder digests: defaults, choices, unsubscribe key, send log (store/digest.go)

	// RecordExport writes the activity entry (action "export.create") for
	// an export about to be handed out, so exports are in the audit trail.
	// It returns the entry's seq.
	RecordExport(ctx context.Context, actor assay.Actor, kind string, from, to time.Time) (int64, error)
}
