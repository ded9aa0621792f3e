package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
	"github.com/assay-platform/assay/store/storetest/pgtest"
)

// The PostgreSQL tests run when ASSAY_TEST_POSTGRES names a database, e.g.
//
//	ASSAY_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/postgres/
//
// Every test works in a database of its own, a copy of one migrated once
// (pgtest.Database), dropped when it ends.

// TestMain runs up to eight tests at once: they mostly wait on the server.
func TestMain(m *testing.M) {
	pgtest.Parallel(8)
	os.Exit(m.Run())
}

// server returns the database URL and a plain connection to it. It skips
// when the variable is unset, and fails when the server cannot be reached.
func server(t *testing.T) (string, *sql.DB) {
	t.Helper()
	return pgtest.URL(t), pgtest.Admin(t)
}

// database returns the URL of a fresh, migrated database of t's own.
func database(t *testing.T) string {
	t.Helper()
	return pgtest.Database(t)
}

// schema creates a fresh, empty schema, dropped when t ends, and returns
// the URL that makes it the connection's search path.
func schema(t *testing.T, base string, admin *sql.DB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "assay_test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", pgtest.EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T, dsn string, cfg sqlstore.Config) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn, cfg)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

func config() sqlstore.Config {
	return sqlstore.Config{Clock: &assay.FixedClock{T: storetest.Epoch}, Criteria: storetest.Criteria()}
}

// TestConformance runs the shared suite, each subtest in its own database.
func TestConformance(t *testing.T) {
	pgtest.URL(t)
	storetest.Run(t, func(t *testing.T, cfg sqlstore.Config) store.Store {
		return open(t, database(t), cfg)
	})
}

// TestSchemaIsolation makes sure the store really works in the schema it
// was given, not in the database's default one.
func TestSchemaIsolation(t *testing.T) {
	base, admin := server(t)
	dsn := schema(t, base, admin)
	s := open(t, dsn, config())
	defer s.Close()
	if _, err := s.CreateOrganization(context.Background(), storetest.Actor, "Here", "here", assay.Scope{}, nil); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(dsn)
	name := u.Query().Get("search_path")
	var n int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM ` + name + `.organizations WHERE slug = 'here'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("organisation in schema %s: %d, %v", name, n, err)
	}
}

// TestActivityIsAppendOnly tampers with the trail through a plain
// connection to the same database.
func TestActivityIsAppendOnly(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.AppendOnly(t, s, raw, `TRUNCATE activity`, `TRUNCATE activity CASCADE`)
}

// TestReopenKeepsData opens the same database again: migrations are not
// run twice and the data stays.
func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	dsn := database(t)
	s := open(t, dsn, config())
	org, err := s.CreateOrganization(ctx, storetest.Actor, "Kept", "kept", assay.Scope{}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dsn, config())
	defer s.Close()
	cs, err := s.Org(org.ID).Controls(ctx, assay.ControlFilter{})
	if err != nil || len(cs) != len(storetest.LibraryIDs) {
		t.Fatalf("controls after reopen: %d, %v", len(cs), err)
	}
	acts, err := s.Org(org.ID).Activity(ctx, assay.ActivityFilter{})
	if err != nil || len(acts) != 2 {
		t.Fatalf("activity after reopen: %d, %v", len(acts), err)
	}
}
