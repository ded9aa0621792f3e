package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/metrics"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/server"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// Config is what the program is told on its command line or environment.
type Config struct {
	DataDir string // the data folder (SQLite database and, later, evidence blobs)
	DBURL   string // postgres://... to use PostgreSQL; empty for SQLite in DataDir
	// BlobsURL is s3://bucket/prefix to keep evidence blobs in an
	// S3-compatible bucket; empty for DataDir/blobs (blobs.go).
	BlobsURL      string
	Addr          string // listen address; ":0" picks a free port
	PublicURL     string // how people reach the server (for printed links)
	SecureCookies bool
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// (sign-in throttling and the trail need the client's address).
	TrustedProxies []netip.Prefix
	Demo           bool     // seed the demo organisation when the database is empty
	DemoSize       DemoSize // how big a demo organisation (zero: the default demo)
	// MaxUploadMB limits one evidence file, in MB of 1,048,576 bytes (0: 100).
	MaxUploadMB int64
	// NoScheduler leaves scheduled monitoring runs to other processes;
	// SchedulerPoll is how often due sources are looked for (0: env
	// ASSAY_SCHEDULER_POLL, else 30s). See monitor.go.
	NoScheduler   bool
	SchedulerPoll time.Duration
	// DigestPoll is how often the reminder digests due are looked for
	// (0: env ASSAY_DIGEST_POLL, else 5 minutes); NoScheduler turns them
	// off too. See digest_job.go.
	DigestPoll time.Duration
	// ProbeLocation names where this server's availability prober runs
	// (empty: each service is probed once per interval across the
	// servers; named: this server probes every service itself and labels
	// its results).
	ProbeLocation string
	// MetricsAddr, when set, serves Prometheus metrics at /metrics on that
	// address (metrics.go); empty leaves them off.
	MetricsAddr string
	// TrustAddr, when set, serves the public trust center alone on that
	// address (trust_listener.go).
	TrustAddr string

	Clock          assay.Clock
	PasswordParams auth.Params
	Logger         *slog.Logger
	Stdout         io.Writer // where links and credentials are printed
}

// Main is the running program. Tests start it on port 0 exactly as the
// command does.
type Main struct {
	Config  Config
	Store   *sqlstore.DB
	App     *app.App // the application services every command and page calls
	Catalog *catalog.Catalog
	Blobs   evidence.Store
	Ledger  *ledger.Key // signs the ledger's checkpoints (ledger.go)
	// Monitoring (monitor.go): the secret box for source credentials, the
	// runner and the scheduler.
	Secrets   *secret.Box
	Runner    *runner.Runner
	Scheduler *runner.Scheduler
	Prober    *availability.Prober // availability probes (monitor.go)
	alerts    *alert.Notifier      // monitoring alerts (alerts.go)

	listener net.Listener
	http     *http.Server
	// Prometheus metrics, when Config.MetricsAddr is set (metrics.go).
	metrics     *metrics.Metrics
	metricsLn   net.Listener
	metricsHTTP *http.Server
	trustLn     net.Listener
	trustHTTP   *http.Server
	done        chan struct{}
	cancel      context.CancelFunc
	// ledgerDone closes when the checkpoint loop has stopped;
	// ledgerFirstRound when its first round (at start) has run.
	ledgerDone       chan struct{}
	ledgerFirstRound chan struct{}
	// digestDone closes when the reminder digest loop has stopped (digest_job.go).
	digestDone chan struct{}
}

// defaultPasswordParams is the password hashing cost of a program whose
// Config names none: auth.DefaultParams. The package's tests make it cheap
// (testmain_test.go), as they do for the programs they configure.
var defaultPasswordParams = auth.DefaultParams

// NewMain returns a program with defaults filled in.
func NewMain(cfg Config) *Main {
	if cfg.DataDir == "" {
		cfg.DataDir = "assay-data"
	}
	if cfg.Addr == "" {
		cfg.Addr = ":8080"
	}
	if cfg.Clock == nil {
		cfg.Clock = assay.SystemClock{}
	}
	if cfg.Demo {
		cfg.Clock = newDemoClock(cfg.Clock) // demo_clock.go: lets the demo seed a back-dated history
	}
	if cfg.PasswordParams.KeyLen == 0 {
		cfg.PasswordParams = defaultPasswordParams
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	return &Main{Config: cfg}
}

// OpenStore loads the catalog and opens (and migrates) the database.
func (m *Main) OpenStore(ctx context.Context) error {
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	m.Catalog = cat
	cfg := sqlstore.Config{Clock: m.Config.Clock, Criteria: cat.DomainCriteria()}
	switch u := m.Config.DBURL; {
	case strings.HasPrefix(u, "postgres://"), strings.HasPrefix(u, "postgresql://"):
		m.Store, err = postgres.Open(ctx, u, cfg)
	case u == "":
		m.Store, err = sqlite.Open(ctx, filepath.Join(m.Config.DataDir, "assay.db"), cfg)
	case strings.HasPrefix(u, "sqlite:"):
		m.Store, err = sqlite.Open(ctx, strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//"), cfg)
	default:
		return fmt.Errorf("--db %q: use postgres://user@host/db or sqlite:/path/to/assay.db", redactURL(u))
	}
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	if err := m.openBlobs(ctx); err != nil {
		return err
	}
	m.App, err = app.New(app.Config{Store: m.Store, Clock: m.Config.Clock, Criteria: cat.DomainCriteria(),
		Checks: catalog.LibraryCheckList, Blobs: m.Blobs, Snapshots: runner.LoadSnapshot, PasswordParams: m.Config.PasswordParams, Logger: m.Config.Logger,
		Ledger: func() (*ledger.Key, error) {
			if err := m.openLedger(); err != nil {
				return nil, err
			}
			return m.Ledger, nil
		}})
	return err
}

// Run opens the store, seeds the demo if asked, and starts serving. It
// returns once the server is listening; Close stops it.
func (m *Main) Run(ctx context.Context) error {
	if m.Store == nil {
		if err := m.OpenStore(ctx); err != nil {
			return err
		}
	}
	log := m.Config.Logger
	if err := m.openBlobs(ctx); err != nil {
		return err
	}
	// Uploads a stopped process left unfinished never became blobs.
	if n, err := m.Blobs.CleanTemp(); err != nil {
		return err
	} else if n > 0 {
		log.Info("removed unfinished uploads", "count", n)
	}
	if m.Config.Demo {
		creds, err := SeedDemoSize(ctx, m.Store, m.Catalog, m.Config.PasswordParams, m.Blobs, m.Config.Clock, m.Config.DemoSize)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if creds != nil {
			fmt.Fprintf(m.Config.Stdout, "Demo organisation %q is ready. Sign in as %s with password %s\n", creds.Org, creds.Email, creds.Password)
			if creds.AuditorEmail != "" {
				fmt.Fprintf(m.Config.Stdout, "Invited auditor of the Type II engagement: sign in as %s with password %s\n", creds.AuditorEmail, creds.Password)
			}
			if creds.EmployeeEmail != "" {
				fmt.Fprintf(m.Config.Stdout, "Employee portal: sign in as %s with password %s\n", creds.EmployeeEmail, creds.Password)
			}
		}
	}
	if err := m.openLedger(); err != nil {
		return fmt.Errorf("ledger key: %w", err)
	}
	if err := m.openMonitor(); err != nil {
		return err
	}
	srv, err := server.New(server.Config{
		App:   m.App,
		Store: m.Store, Criteria: m.Catalog.DomainCriteria(), Clock: m.Config.Clock, Logger: log,
		SecureCookies: m.Config.SecureCookies, PasswordParams: m.Config.PasswordParams, TrustedProxies: m.Config.TrustedProxies,
		PublicURL:      m.Config.PublicURL,
		NewOrgControls: m.Catalog.LibraryControls,
		Blobs:          m.Blobs,
		MaxUploadBytes: m.Config.MaxUploadMB << 20,
		LedgerKey:      m.Ledger.VerifierKey,
		IssueCheckpoint: func(ctx context.Context) (ledger.Checkpoint, error) {
			cp, _, err := m.IssueCheckpoint(ctx)
			return cp, err
		},
		Monitor: m.monitorService(),
		Alerts:  m.wireAlerts(),
	})
	if err != nil {
		return err
	}
	handler, err := m.startMetrics(srv)
	if err != nil {
		return err
	}
	if err := m.startTrustListener(handler); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	m.done = make(chan struct{})
	go func() {
		defer close(m.done)
		if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("server stopped", "err", err)
		}
	}()
	bg, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go m.sweepSessions(bg)
	m.ledgerDone, m.ledgerFirstRound = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.ledgerDone)
		ticker := time.NewTicker(checkpointInterval)
		defer ticker.Stop()
		var once sync.Once
		m.checkpointLoop(bg, ticker.C, func() { once.Do(func() { close(m.ledgerFirstRound) }) })
	}()
	if err := m.startScheduler(); err != nil {
		return err
	}
	if err := m.startDigests(bg); err != nil {
		return err
	}

	fmt.Fprintf(m.Config.Stdout, "Assay %s is serving on %s (database: %s; evidence: %s)\n", assay.Version, m.URL(), m.describeDB(), m.Blobs)
	return m.printSetupLink(ctx)
}

// printSetupLink prints a one-time link for the first admin when there
// are no users yet.
func (m *Main) printSetupLink(ctx context.Context) error {
	n, err := m.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	secret := auth.NewToken(auth.PrefixSetup)
	if err := m.Store.CreateSetupToken(ctx, auth.HashToken(secret), m.Config.Clock.Now().Add(24*time.Hour)); err != nil {
		return fmt.Errorf("setup link: %w", err)
	}
	fmt.Fprintf(m.Config.Stdout, "No users yet. Create the first admin within 24 hours at:\n\n    %s/setup?token=%s\n\n(or run `assay user create --admin`)\n", m.URL(), secret)
	return nil
}

func (m *Main) sweepSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := m.Store.DeleteExpiredSessions(ctx); err != nil {
				m.Config.Logger.Warn("session sweep failed", "err", err)
			} else if n > 0 {
				m.Config.Logger.Info("expired sessions removed", "count", n)
			}
		}
	}
}

// URL is where the server can be reached.
func (m *Main) URL() string {
	if m.Config.PublicURL != "" {
		return strings.TrimRight(m.Config.PublicURL, "/")
	}
	if m.listener == nil {
		return ""
	}
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

func (m *Main) describeDB() string {
	if m.Config.DBURL != "" {
		return redactURL(m.Config.DBURL)
	}
	return "SQLite in " + filepath.Join(m.Config.DataDir, "assay.db")
}

// Close stops serving (letting requests in flight finish) and closes the store.
func (m *Main) Close() error {
	var errs []error
	m.stopScheduler()
	if m.cancel != nil {
		m.cancel()
	}
	if m.ledgerDone != nil {
		<-m.ledgerDone
	}
	if m.digestDone != nil {
		<-m.digestDone
	}
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs = append(errs, m.http.Shutdown(ctx))
		<-m.done
	}
	errs = append(errs, m.stopMetrics(), m.stopTrustListener())
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}

// redactURL hides a password in a database URL before it is printed.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	userinfo := u[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return u[:scheme+3] + userinfo[:i] + ":***" + u[at:]
	}
	return u
}

// firstOrg returns the organisation named by slug, or the only one.
func firstOrg(ctx context.Context, s store.Store, slug string) (assay.Organization, error) {
	if slug != "" {
		return s.OrganizationBySlug(ctx, slug)
	}
	orgs, err := s.Organizations(ctx)
	if err != nil {
		return assay.Organization{}, err
	}
	switch len(orgs) {
	case 0:
		return assay.Organization{}, errors.New("no organisation yet: run `assay serve` and open the setup link, or `assay user create --admin`")
	case 1:
		return orgs[0], nil
	}
	return assay.Organization{}, fmt.Errorf("%d organisations: choose one with --org", len(orgs))
}
