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

// The demo organisation takes a second or two to seed, many times that
// under the race detector, and a dozen tests start a server over it. The
// test binary seeds it once, into a template data folder, and each test
// that asks for the demo gets a copy of that folder (the SQLite database
// and the evidence blobs): the server then starts over a database that
// already holds the demo, as it does on every start after the first.
// Tests that check what seeding prints use startMainSeeding, which seeds
// afresh.

var (
	demoTemplateDir string
	demoTemplateErr error
	demoTemplateRun sync.Once
)

// demoTemplate returns the folder holding the seeded demo, seeding it on
// the first call.
func demoTemplate() (string, error) {
	demoTemplateRun.Do(func() {
		demoTemplateDir, demoTemplateErr = seedDemoTemplate()
	})
	return demoTemplateDir, demoTemplateErr
}

// seedDemoTemplate seeds the demo as Run does (the same clock, password
// parameters and store), without starting the server.
func seedDemoTemplate() (dir string, err error) {
	dir, err = os.MkdirTemp("", "assay-demo-template-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	ctx := context.Background()
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: dir, Demo: true, PasswordParams: fastParams,
		Stdout: io.Discard, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := m.OpenStore(ctx); err != nil {
		return "", err
	}
	creds, err := SeedDemoSize(ctx, m.Store, m.Catalog, m.Config.PasswordParams, m.Blobs, m.Config.Clock, m.Config.DemoSize)
	if err == nil && creds == nil {
		err = fmt.Errorf("the template folder already held an organisation")
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("seed the demo template: %w", err)
	}
	return dir, nil
}

// removeDemoTemplate deletes the template folder, if one was made.
func removeDemoTemplate() {
	if demoTemplateDir != "" {
		os.RemoveAll(demoTemplateDir)
	}
}

// copyDemoTemplate fills the empty data folder dst with a copy of the
// seeded demo.
func copyDemoTemplate(t *testing.T, dst string) {
	t.Helper()
	src, err := demoTemplate()
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(to, info.Mode().Perm())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatalf("copy the demo template: %v", err)
	}
}

// startMainSeeding is startMain with the demo seeded afresh by Run, for
// the tests that read what seeding prints.
func startMainSeeding(t *testing.T) *testMain {
	t.Helper()
	return startMainOver(t, false, true, false)
}

// startMainOver is startMain; fromTemplate starts a demo server over a
// copy of the template instead of seeding.
func startMainOver(t *testing.T, pg, demo, fromTemplate bool) *testMain {
	t.Helper()
	out := &bytes.Buffer{}
	cfg := Config{Clock: clocktest.Clock(), DataDir: t.TempDir(), Addr: "127.0.0.1:0", Demo: demo, PasswordParams: fastParams, Stdout: out,
		Logger: testLogger(t)}
	if pg {
		cfg.DBURL = freshPostgres(t)
	}
	if demo && fromTemplate && !pg {
		copyDemoTemplate(t, cfg.DataDir)
	}
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &testMain{Main: m, out: out}
}
