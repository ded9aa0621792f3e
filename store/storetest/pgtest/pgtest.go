// Package pgtest gives tests a PostgreSQL database of their own, already
// migrated: the migrations run once into a template database, and each
// test gets a copy (CREATE DATABASE ... TEMPLATE), dropped when it ends.
//
// The tests run when ASSAY_TEST_POSTGRES names a database the user may
// create databases from, e.g.
//
//	ASSAY_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/...
//
// The template is named after a hash of the migrations, so every test
// binary (and every run) with the same migrations shares it; it is kept
// between runs as a cache and dropped once it has gone unused for an hour
// and the migrations changed. Copies left behind by a crashed run are
// dropped when they are an hour old.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlstore"
)

// EnvURL names the variable that holds the server's URL.
const EnvURL = "ASSAY_TEST_POSTGRES"

// Names of what the package creates. Copies and templates being built carry
// their creation time (Unix seconds) so that leftovers can be aged.
const (
	templatePrefix = "assay_tpl_"  // + migrations hash
	buildPrefix    = "assay_tplb_" // + unix + "_" + random, renamed to the template when migrated
	copyPrefix     = "assay_t_"    // + unix + "_" + random
)

// staleAfter is when leftovers of other runs are dropped.
const staleAfter = time.Hour

// lockKey is the advisory lock that serialises template upkeep between
// test binaries running at the same time.
const lockKey = 0x41535354 // "ASST"

// URL returns the server's URL, skipping t when the variable is unset.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		t.Skipf("%s is not set; set it to a PostgreSQL URL (postgres://user@host:5432/db?sslmode=disable) to run the PostgreSQL tests", EnvURL)
	}
	return base
}

// Admin returns a connection pool to the server's database (the one the
// URL names), shared by the test binary. It fails t when the server cannot
// be reached.
func Admin(t testing.TB) *sql.DB {
	t.Helper()
	db, err := admin(URL(t))
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL cannot be reached: %v", EnvURL, err)
	}
	return db
}

// Database creates a database holding the latest schema for t, dropped
// when t ends, and returns its URL.
func Database(t testing.TB) string {
	t.Helper()
	base := URL(t)
	tpl, err := template(base)
	if err != nil {
		t.Fatalf("postgres template: %v", err)
	}
	return create(t, base, tpl)
}

// Empty creates an empty database for t (no migrations), dropped when t
// ends, and returns its URL.
func Empty(t testing.TB) string {
	t.Helper()
	return create(t, URL(t), "")
}

// Parallel lets up to n parallel tests run at once unless -parallel was
// given (the default is the number of CPUs). The PostgreSQL tests mostly
// wait on the server, so more of them than CPUs keep it busy. Call it from
// TestMain, before m.Run.
func Parallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(n)); err != nil {
			panic(err)
		}
	}
}

// WithDatabase returns base with its database name replaced by name.
func WithDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("%s: %w", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// scratch returns the URL of a test's own database. Its sessions commit
// without waiting for the disk (synchronous_commit=off): a test database
// need not survive a crash of the server, and the suite spends most of its
// time waiting on commits otherwise. Visibility and locking are unchanged.
func scratch(base, name string) (string, error) {
	s, err := WithDatabase(base, name)
	if err != nil {
		return "", err
	}
	u, _ := url.Parse(s)
	q := u.Query()
	if !q.Has("synchronous_commit") {
		q.Set("synchronous_commit", "off")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func create(t testing.TB, base, tpl string) string {
	t.Helper()
	db, err := admin(base)
	if err != nil {
		t.Fatalf("%s is set but PostgreSQL cannot be reached: %v", EnvURL, err)
	}
	name := copyPrefix + stamp()
	stmt := `CREATE DATABASE ` + name
	if tpl != "" {
		stmt += ` TEMPLATE ` + tpl
	}
	if err := retryBusy(context.Background(), func() error { _, err := db.Exec(stmt); return err }); err != nil {
		t.Fatalf("postgres: %s: %v", stmt, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("postgres: drop database %s: %v", name, err)
		}
	})
	u, err := scratch(base, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var (
	mu       sync.Mutex
	pools    = map[string]*sql.DB{}
	built    = map[string]string{} // base URL -> template name
	buildErr error
)

func admin(base string) (*sql.DB, error) {
	mu.Lock()
	defer mu.Unlock()
	if db := pools[base]; db != nil {
		return db, nil
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.SetMaxIdleConns(4)
	pools[base] = db
	return db, nil
}

// template returns the name of a database holding the latest schema,
// migrating one the first time in the server's life (or after the
// migrations changed).
func template(base string) (string, error) {
	db, err := admin(base)
	if err != nil {
		return "", err
	}
	mu.Lock()
	defer mu.Unlock()
	if name := built[base]; name != "" {
		return name, nil
	}
	if buildErr != nil {
		return "", buildErr
	}
	name, err := ensureTemplate(context.Background(), base, db)
	if err != nil {
		buildErr = err
		return "", err
	}
	built[base] = name
	return name, nil
}

func ensureTemplate(ctx context.Context, base string, db *sql.DB) (string, error) {
	hash, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := templatePrefix + hash
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(lockKey)); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(lockKey))

	sweep(ctx, conn, name)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if err := build(ctx, base, conn, name); err != nil {
			return "", err
		}
	}
	// The comment records when the template was last used, for sweep.
	if _, err := conn.ExecContext(ctx, `COMMENT ON DATABASE `+name+` IS 'assay test template, used `+strconv.FormatInt(time.Now().Unix(), 10)+`'`); err != nil {
		return "", err
	}
	return name, nil
}

// build migrates a new database and renames it to name, so that a template
// is never seen half-migrated.
func build(ctx context.Context, base string, conn *sql.Conn, name string) error {
	tmp := buildPrefix + stamp()
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+tmp); err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	ok := false
	defer func() {
		if !ok {
			conn.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+tmp+` WITH (FORCE)`)
		}
	}()
	u, err := WithDatabase(base, tmp)
	if err != nil {
		return err
	}
	s, err := postgres.Open(ctx, u, sqlstore.Config{})
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	// The closed connections' server processes may linger a moment.
	if err := retryBusy(ctx, func() error {
		_, err := conn.ExecContext(ctx, `ALTER DATABASE `+tmp+` RENAME TO `+name)
		return err
	}); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	ok = true
	// Nobody connects to the template: a connection would block copying it.
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS false`); err != nil {
		return err
	}
	return nil
}

// sweep drops what crashed runs left behind: copies and half-built
// templates older than staleAfter, and templates of other migrations
// unused for that long. Failures are ignored; the next run tries again.
func sweep(ctx context.Context, conn *sql.Conn, keep string) {
	rows, err := conn.QueryContext(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'assay\_t%'`)
	if err != nil {
		return
	}
	var stale []string
	cutoff := time.Now().Add(-staleAfter).Unix()
	for rows.Next() {
		var name, comment string
		if rows.Scan(&name, &comment) != nil {
			continue
		}
		var born int64
		switch {
		case name == keep:
			continue
		case strings.HasPrefix(name, templatePrefix):
			_, used, _ := strings.Cut(comment, ", used ")
			born, _ = strconv.ParseInt(used, 10, 64)
		case strings.HasPrefix(name, buildPrefix), strings.HasPrefix(name, copyPrefix):
			rest := strings.TrimPrefix(strings.TrimPrefix(name, buildPrefix), copyPrefix)
			unix, _, _ := strings.Cut(rest, "_")
			born, _ = strconv.ParseInt(unix, 10, 64)
		}
		if born > 0 && born < cutoff {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(postgres.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(postgres.Migrations(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// retryBusy retries f while the server says a database it needs is in use
// by other sessions (55006), for up to ten seconds.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		err := f()
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

func stamp() string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return strconv.FormatInt(time.Now().Unix(), 10) + "_" + hex.EncodeToString(b[:])
}
