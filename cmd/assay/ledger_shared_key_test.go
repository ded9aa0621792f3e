package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// Two servers of one database with different ledger keys: the second
// refuses to sign, saying how to share the key; given the first's key in
// ASSAY_LEDGER_KEY, a third signs, and the database verifies.
func TestServersShareOneLedgerKey(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "shared.db")
	first := startMainWith(t, false, func(c *Config) { c.DBURL = db; c.Demo = true; c.NoScheduler = true })
	ctx := context.Background()
	// The first server's own loop signs at start; wait for it, or it may
	// sign the growth below before the second server is asked to.
	<-first.ledgerFirstRound
	if _, _, err := first.IssueCheckpoint(ctx); err != nil {
		t.Fatal(err)
	}
	grow := func(slug string) {
		t.Helper()
		if _, err := first.Store.CreateOrganization(ctx, assay.SystemActor, slug, slug, assay.Scope{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	grow("grown-one")
	second := startMainWith(t, false, func(c *Config) { c.DBURL = db; c.NoScheduler = true })
	_, _, err := second.IssueCheckpoint(ctx)
	if err == nil || !strings.Contains(err.Error(), "same ledger key") || !strings.Contains(err.Error(), "ASSAY_LEDGER_KEY") {
		t.Fatalf("a second key signed, or did not say how to share: %v", err)
	}
	key, err := os.ReadFile(filepath.Join(first.Config.DataDir, ledger.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(ledgerKeyEnv, strings.TrimSpace(string(key)))
	third := startMainWith(t, false, func(c *Config) { c.DBURL = db; c.NoScheduler = true })
	if third.Ledger.Origin() != first.Ledger.Origin() {
		t.Fatalf("the third server's key is %s, not the shared %s", third.Ledger.Origin(), first.Ledger.Origin())
	}
	<-third.ledgerFirstRound
	grow("grown-two")
	if _, issued, err := third.IssueCheckpoint(ctx); err != nil || !issued {
		t.Fatalf("the shared key: issued %v, %v", issued, err)
	}
	if _, err := os.Stat(filepath.Join(third.Config.DataDir, ledger.KeyFile)); err == nil {
		t.Fatal("a key file was made although the key was given")
	}
}
