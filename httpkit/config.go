package httpkit

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/assay-platform/assay/secret"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/store"
)

// DefaultMaxUploadBytes is the largest evidence file accepted unless
// configured otherwise (100 MB).
const DefaultMaxUploadBytes = 100 << 20

// Config is what the web pages and the API are built from.
type Config struct {
	// App is the application services the pages and the API call.
	App      *app.App
	Store    store.Store
	Criteria []assay.Criterion // the catalog, in framework order
	Rule     assay.ReadinessRule
	Clock    assay.Clock
	Logger   *slog.Logger
	// SecureCookies marks cookies Secure. Leave it on behind TLS; cookies
	// are also Secure on any request that arrived over TLS.
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
	Blobs evidence.Store
	// MaxUploadBytes limits one evidence file (default 100 MB).
	MaxUploadBytes int64
	// LedgerKey is the ledger's public key (note form), shown with its
	// checkpoints on the Activity page and by the API.
	LedgerKey string
	// IssueCheckpoint signs a fresh checkpoint (if the ledger grew) and
	// returns the latest; the evidence bundle proves against it. Without
	// it, bundles use the latest stored checkpoint.
	IssueCheckpoint func(context.Context) (ledger.Checkpoint, error)
	// Monitor runs monitoring sources; nil turns running, pushing,
	// importing and secrets off.
	Monitor app.MonitorService
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client (ClientAddress); none: the connection's address is the
	// client's.
	TrustedProxies []netip.Prefix
	// PublicURL is how people reach the server (scheme and host); single
	// sign-on's redirect, ACS and metadata URLs are made from it. Empty:
	// from the request's own scheme and host.
	PublicURL string
	// SignInPolicy throttles password guessing (zero: the default).
	SignInPolicy assay.SignInPolicy
	// Alerts sends monitoring alerts and manages alert channels (package
	// monitor/alert); nil turns alert channels off.
	Alerts *alert.Notifier
	// Secrets seals users' TOTP secrets (the installation's secret key);
	// without it two-step sign-in cannot be set up.
	Secrets *secret.Box
}

// WithDefaults fills what was left unset. It does not build App.
func (c Config) WithDefaults() Config {
	if c.Clock == nil {
		c.Clock = assay.SystemClock{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.PasswordParams.KeyLen == 0 {
		c.PasswordParams = auth.DefaultParams
	}
	if c.SignInPolicy == (assay.SignInPolicy{}) {
		c.SignInPolicy = assay.DefaultSignInPolicy
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if c.NewOrgControls == nil {
		c.NewOrgControls = func() []assay.Control { return nil }
	}
	return c
}
