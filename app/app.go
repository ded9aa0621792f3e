// Package app holds Assay's application services: each thing a person can
// do, offered the same way to the web pages, the JSON API and the CLI.
// Methods take (ctx, principal, input), decide authorisation per object,
// orchestrate the store, the blob store and the rules, and own the
// transaction boundary. Everything they depend on (the store, the clock,
// the check library, the blob store) is passed in through Config: no
// package globals.
package app

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
)

// CheckLibrary returns the embedded check library (catalog.LibraryCheckList).
type CheckLibrary func() ([]assay.Check, error)

// Config is what the services run on.
type Config struct {
	Store    store.Store
	Clock    assay.Clock
	Criteria []assay.Criterion // the catalog, in framework order
	// Checks is the check library every organisation's monitoring and
	// readiness use, with the organisation's custom checks added.
	Checks CheckLibrary
	// Rule is the base readiness rule (the records add their conditions).
	Rule assay.ReadinessRule
	// Blobs stores evidence files; without it, file evidence whose
	// content the service is handed is refused.
	Blobs evidence.Store
	// Snapshots reads a monitoring run's resources back from the blob
	// store (runner.LoadSnapshot), for access reviews that load accounts
	// from a source; without it (or Blobs) they take a CSV only.
	Snapshots SnapshotReader
	// PasswordParams are the argon2id costs of the passwords the services
	// set (an invited auditor's); zero: auth.DefaultParams.
	PasswordParams auth.Params
	// Alerts manages alert channels (monitor/alert); nil turns them off.
	Alerts AlertNotifier
	// Ledger loads the ledger's signing key (once, when first needed): the
	// trust center signs its snapshots with it. Without it, snapshots are
	// not offered.
	Ledger func() (*ledger.Key, error)
	// Secrets seals users' TOTP secrets (the secret key, secret.Load);
	// without it nobody can set up two-step sign-in.
	Secrets *secret.Box
	Logger  *slog.Logger
}

// SnapshotReader reads the resources of a run's snapshot.
type SnapshotReader func(ctx context.Context, blobs evidence.Store, digest string) ([]assay.Resource, error)

// App is the application services over one store.
type App struct {
	store     store.Store
	clock     assay.Clock
	criteria  []assay.Criterion
	library   CheckLibrary
	rule      assay.ReadinessRule
	blobs     evidence.Store
	snaps     SnapshotReader
	passwords auth.Params
	alerts    AlertNotifier
	secrets   *secret.Box
	log       *slog.Logger
	ledgerKey func() (*ledger.Key, error)
	signer    *keyLoader   // shared by copies (WithAlerts)
	trust     *trustCache  // shared by copies
	reads     *rules.Cache // shared by copies: the tables readiness reads, until the next change
}

// New checks the configuration and returns the services. The store, the
// clock, the criteria and the check library are required: a readiness
// figure computed without the library would silently pass every control
// that only the library's checks test.
func New(cfg Config) (*App, error) {
	var missing []error
	if cfg.Store == nil {
		missing = append(missing, errors.New("app: no store"))
	}
	if cfg.Clock == nil {
		missing = append(missing, errors.New("app: no clock"))
	}
	if len(cfg.Criteria) == 0 {
		missing = append(missing, errors.New("app: no criteria"))
	}
	if cfg.Checks == nil {
		missing = append(missing, errors.New("app: no check library"))
	}
	if err := errors.Join(missing...); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.PasswordParams.KeyLen == 0 {
		cfg.PasswordParams = auth.DefaultParams
	}
	return &App{store: cfg.Store, clock: cfg.Clock, criteria: slices.Clip(cfg.Criteria), library: cfg.Checks, rule: cfg.Rule, blobs: cfg.Blobs, snaps: cfg.Snapshots, ledgerKey: cfg.Ledger, signer: &keyLoader{}, trust: &trustCache{}, reads: rules.NewCache(16),
		passwords: cfg.PasswordParams, alerts: cfg.Alerts, secrets: cfg.Secrets, log: cfg.Logger}, nil
}

// Now is the services' clock.
func (a *App) Now() time.Time { return a.clock.Now() }

// Clock is the services' clock, for the adapters that stamp what they show.
func (a *App) Clock() assay.Clock { return a.clock }

// Criteria is the catalog the services judge readiness against.
func (a *App) Criteria() []assay.Criterion { return a.criteria }

// Store is the store the services run on. Adapters use it only for what
// has no service yet; new code calls a service.
func (a *App) Store() store.Store { return a.store }

// Principal is who acts: a user, in their organisation, through one of
// the ways in ("web", "api", "cli"). The organisation's store is bound to
// the user's organisation, so a service never reaches another tenant.
type Principal struct {
	User assay.User
	Org  store.OrgStore
	Via  string
}

// Actor is how the principal is recorded in the audit trail.
func (p Principal) Actor() assay.Actor { return assay.ActorFor(p.User, p.Via) }

// PrincipalFor is the principal of a user reaching Assay through via.
func (a *App) PrincipalFor(u assay.User, via string) Principal {
	return Principal{User: u, Org: OrgFor(a.store, u), Via: via}
}

// PrincipalByEmail is the CLI's --as: the user with that email, acting
// through the command line, held to the same checks as on the web.
func (a *App) PrincipalByEmail(ctx context.Context, email string) (Principal, error) {
	u, _, err := a.store.UserByEmail(ctx, email)
	if err != nil {
		return Principal{}, err
	}
	if u.AccessExpired(a.clock.Now()) {
		return Principal{}, assay.Errorf(assay.EUNAUTHORIZED, "The access of %s ended on %s.", u.Email, u.AccessExpiresAt.UTC().Format(time.DateOnly))
	}
	return a.PrincipalFor(u, "cli"), nil
}

// OperatorPrincipal is the person at the server's shell running the CLI
// without --as: an admin of the organisation with no user account,
// recorded in the audit trail under the command they ran ("assay risk add").
func (a *App) OperatorPrincipal(org assay.Organization, command string) Principal {
	return Principal{User: assay.User{OrgID: org.ID, Name: command, Role: assay.RoleAdmin}, Org: a.store.Org(org.ID), Via: "cli"}
}
