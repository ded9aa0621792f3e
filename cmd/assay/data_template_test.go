package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/assay-platform/assay/internal/clocktest"
)

// Under the race detector, migrating a new SQLite database takes several
// seconds and seeding the demo organisation a minute, and most tests
// start a program over a new data folder. The test binary does each once,
// into a template data folder, and a test that asks for an empty or a demo
// folder gets a copy of the template (the SQLite database and the evidence
// blobs): the program then starts over a database that is already up to
// date, or already holds the demo, as it does on every start after the
// first. Migrating a new database is still tested where it is the subject
// (the store suites, the CLI's migrate command, the built binary in
// kill_test.go), and seeding the demo by the tests that read what it
// prints (startMainSeeding).

// dataTemplate is a data folder prepared once per test binary.
type dataTemplate struct {
	demo bool
	once sync.Once
	dir  string
	err  error
}

var (
	emptyTemplate = &dataTemplate{}           // migrated, no organisation
	demoTemplate  = &dataTemplate{demo: true} // the demo seeded
)

// folder returns the template's folder, preparing it on the first call.
func (d *dataTemplate) folder() (string, error) {
	d.once.Do(func() { d.dir, d.err = d.prepare() })
	return d.dir, d.err
}

// prepare opens (and so migrates) a new database as Run does, with the
// same clock and password parameters, and seeds the demo when asked,
// without starting the server.
func (d *dataTemplate) prepare() (dir string, err error) {
	dir, err = os.MkdirTemp("", "assay-test-template-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	ctx := context.Background()
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: dir, Demo: d.demo, PasswordParams: fastParams,
		Stdout: io.Discard, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	err = m.OpenStore(ctx)
	if err == nil && d.demo {
		var creds *DemoCredentials
		creds, err = SeedDemoSize(ctx, m.Store, m.Catalog, m.Config.PasswordParams, m.Blobs, m.Config.Clock, m.Config.DemoSize)
		if err == nil && creds == nil {
			err = fmt.Errorf("the template folder already held an organisation")
		}
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("prepare a template data folder (demo %v): %w", d.demo, err)
	}
	return dir, nil
}

// removeDataTemplates deletes the template folders that were made.
func removeDataTemplates() {
	for _, d := range []*dataTemplate{emptyTemplate, demoTemplate} {
		if d.dir != "" {
			os.RemoveAll(d.dir)
		}
	}
}

// copyTo fills the empty data folder dst with a copy of the template.
func (d *dataTemplate) copyTo(t *testing.T, dst string) {
	t.Helper()
	src, err := d.folder()
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := e.Info()
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.MkdirAll(to, info.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatalf("copy the template data folder: %v", err)
	}
}

// migratedDataDir is a new data folder whose SQLite database is already
// migrated, for tests that run commands over a new folder.
func migratedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	emptyTemplate.copyTo(t, dir)
	return dir
}

// startMainSeeding is startMain with the demo seeded afresh by Run, for
// the tests that read what seeding prints.
func startMainSeeding(t *testing.T) *testMain {
	t.Helper()
	return startMainOver(t, false, true, false)
}

// startMainOver is startMain; fromTemplate starts a SQLite program over a
// copy of the empty or the demo template instead of a new folder.
func startMainOver(t *testing.T, pg, demo, fromTemplate bool) *testMain {
	t.Helper()
	out := &bytes.Buffer{}
	cfg := Config{Clock: clocktest.Clock(), DataDir: t.TempDir(), Addr: "127.0.0.1:0", Demo: demo, PasswordParams: fastParams, Stdout: out,
		Logger: testLogger(t)}
	if pg {
		cfg.DBURL = freshPostgres(t)
	}
	if fromTemplate && !pg {
		if demo {
			demoTemplate.copyTo(t, cfg.DataDir)
		} else {
			emptyTemplate.copyTo(t, cfg.DataDir)
		}
	}
	return runMain(t, cfg, out)
}
