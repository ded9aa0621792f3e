package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

func open(t *testing.T, path string, cfg sqlstore.Config) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return db
}

// template is a database file holding the latest schema, migrated once per
// test binary; fresh copies it for each test.
var template = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "assay-sqlite-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "migrated.db")
	s, err := sqlite.Open(context.Background(), path, sqlstore.Config{})
	if err != nil {
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	// VACUUM INTO writes one self-contained file, whatever the WAL holds.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	out := filepath.Join(dir, "template.db")
	if _, err := raw.Exec(`VACUUM INTO ?`, out); err != nil {
		return nil, fmt.Errorf("vacuum into: %w", err)
	}
	return os.ReadFile(out)
})

// fresh returns the path of a database file of t's own holding the latest
// schema (a copy of template).
func fresh(t testing.TB) string {
	t.Helper()
	b, err := template()
	if err != nil {
		t.Fatalf("migrate the template database: %v", err)
	}
	path := filepath.Join(t.TempDir(), "assay.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func config() sqlstore.Config {
	return sqlstore.Config{Clock: &assay.FixedClock{T: storetest.Epoch}, Criteria: storetest.Criteria()}
}

// TestConformance runs the shared suite, each subtest on its own copy of
// the migrated file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg sqlstore.Config) store.Store {
		return open(t, fresh(t), cfg)
	})
}

// TestActivityIsAppendOnly tampers with the trail through a plain
// connection to the same file.
func TestActivityIsAppendOnly(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.AppendOnly(t, s, raw)
}

// TestReopenKeepsData opens the same file three times: migrations run once
// and the data stays.
func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", "assay.db") // the folder is created
	s := open(t, path, config())
	org, err := s.CreateOrganization(ctx, storetest.Actor, "Kept", "kept", assay.Scope{Categories: []string{"privacy"}}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	os := s.Org(org.ID)
	u, err := os.CreateUser(ctx, storetest.Actor, assay.NewUser{Email: "ann@example.com", Role: assay.RoleAdmin, Password: "correct horse battery"}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.UpdateControl(ctx, storetest.Actor, "AC-01", assay.ControlPatch{Notes: ptr("kept notes")}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	for round := range 2 {
		s := open(t, path, config())
		os := s.Org(org.ID)
		got, err := s.OrganizationBySlug(ctx, "kept")
		if err != nil || got.ID != org.ID || len(got.Scope.Categories) != 2 {
			t.Fatalf("round %d: organisation = %+v, %v", round, got, err)
		}
		if gu, hash, err := s.UserByEmail(ctx, "ann@example.com"); err != nil || gu.ID != u.ID || hash != "hash" {
			t.Fatalf("round %d: user = %+v %q %v", round, gu, hash, err)
		}
		if c, err := os.Control(ctx, "AC-01"); err != nil || c.Notes != "kept notes" {
			t.Fatalf("round %d: AC-01 = %+v, %v", round, c, err)
		}
		cs, err := os.Controls(ctx, assay.ControlFilter{})
		if err != nil || len(cs) != len(storetest.LibraryIDs) {
			t.Fatalf("round %d: %d controls, %v", round, len(cs), err)
		}
		acts, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1000})
		if err != nil || len(acts) != len(entries)+round || acts[len(acts)-1].Seq != entries[len(entries)-1].Seq {
			t.Fatalf("round %d: %d entries, want %d (%v)", round, len(acts), len(entries)+round, err)
		}
		// Writes go on, with seq continuing after the reopen.
		if _, err := os.UpdateControl(ctx, storetest.Actor, "AV-01", assay.ControlPatch{Notes: ptr("round")}); err != nil {
			t.Fatalf("round %d: write after reopen: %v", round, err)
		}
		latest, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1})
		if err != nil || latest[0].Seq <= acts[0].Seq {
			t.Fatalf("round %d: newest seq %+v after %d", round, latest, acts[0].Seq)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestActivityReplaceIsRefused: INSERT OR REPLACE deletes the old row
// without firing delete triggers (unless recursive_triggers is on), so the
// schema refuses reusing a seq outright.
func TestActivityReplaceIsRefused(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.AppendOnly(t, s, raw, `INSERT OR REPLACE INTO activity (seq, org_id, at, actor_name, actor_via, action, object_type, object_id, summary)
		VALUES ((SELECT MIN(seq) FROM activity), (SELECT MIN(org_id) FROM activity), 'x', 'forger', 'cli', 'forged', 'x', 'x', 'forged')`)
}
