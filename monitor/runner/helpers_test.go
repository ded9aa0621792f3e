package runner

import (
	"context"
	"crypto/rand"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest/pgtest"
)

// env is a runner over a real SQLite store and blob store in a temporary
// folder, with one organisation.
type env struct {
	t      *testing.T
	ctx    context.Context
	db     *sqlstore.DB
	org    store.OrgStore
	runner *Runner
	svc    Service
	clock  *assay.FixedClock
	path   string // the SQLite file ("" on PostgreSQL)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "assay.db")
	return newEnvOn(t, dir, path, func(ctx context.Context, cfg sqlstore.Config) (*sqlstore.DB, error) {
		return sqlite.Open(ctx, path, cfg)
	})
}

// newPGEnv is newEnv on a PostgreSQL database of the test's own; it skips
// unless ASSAY_TEST_POSTGRES names a server (see store/storetest/pgtest).
func newPGEnv(t *testing.T) *env {
	t.Helper()
	url := pgtest.Database(t)
	return newEnvOn(t, t.TempDir(), "", func(ctx context.Context, cfg sqlstore.Config) (*sqlstore.DB, error) {
		return postgres.Open(ctx, url, cfg)
	})
}

// eachStore runs f on SQLite and, when a server is configured, on PostgreSQL.
func eachStore(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, newPGEnv(t)) })
}

func newEnvOn(t *testing.T, dir, path string, open func(context.Context, sqlstore.Config) (*sqlstore.DB, error)) *env {
	t.Helper()
	ctx := context.Background()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	clock := &assay.FixedClock{T: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	db, err := open(ctx, sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := evidence.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	box, _, err := secret.Load(dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.CreateOrganization(ctx, assay.SystemActor, "Acme", "acme", assay.Scope{}, cat.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	services, err := app.New(app.Config{Store: db, Clock: clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList})
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Store: db, Blobs: blobs, Box: box, Clock: clock, Timeout: 10 * time.Second, Checks: services.Checks}
	return &env{t: t, ctx: ctx, db: db, org: db.Org(o.ID), runner: r, svc: Service{r}, clock: clock, path: path}
}

// tlsServer is a real HTTPS server with HSTS; its certificate is given to
// the source as ca_pem.
func tlsServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, string) {
	t.Helper()
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			w.Write([]byte("ok"))
		}
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the collector's probes of old TLS versions fail on purpose
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	return srv, ca
}

// httpSource creates an enabled http source for url.
func (e *env) httpSource(url, ca string, secrets map[string]string) assay.Source {
	e.t.Helper()
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{
		Name: "API", Kind: "http", Enabled: true, IntervalMinutes: 60,
		Settings: map[string]string{"url": url, "ca_pem": ca, "timeout": "5s"},
	}, secrets)
	if err != nil {
		e.t.Fatal(err)
	}
	return src
}

// current returns the current results of a source, keyed by check and resource.
func (e *env) current(sourceID int64) map[[2]string]assay.CurrentResult {
	e.t.Helper()
	rs, err := e.org.CurrentResults(e.ctx, assay.ResultFilter{SourceID: sourceID})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[[2]string]assay.CurrentResult{}
	for _, r := range rs {
		out[[2]string{r.CheckID, r.ResourceID}] = r
	}
	return out
}

func randomKey(t *testing.T) *secret.Box {
	k := make([]byte, secret.KeySize)
	rand.Read(k)
	b, err := secret.New(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
