package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// checkpointInterval is how often the server signs a checkpoint while the
// ledger grows.
const checkpointInterval = time.Minute

// openLedger loads the ledger's signing key from the data folder, making it
// on first start (ledger.key, mode 0600). With PostgreSQL the key still
// lives in the data folder given (default ./assay-data): servers that share
// a database should share that key file.
func (m *Main) openLedger() error {
	if m.Ledger != nil {
		return nil
	}
	if skey := os.Getenv(ledgerKeyEnv); skey != "" {
		// Servers of one database share one key: given here, the key in
		// the data folder is not read or made.
		k, err := ledger.ParseKey(skey)
		if err != nil {
			return fmt.Errorf("%s: %w", ledgerKeyEnv, err)
		}
		m.Ledger = k
		return nil
	}
	k, created, err := ledger.LoadOrCreateKey(m.Config.DataDir)
	if err != nil {
		return err
	}
	if created {
		m.Config.Logger.Info("ledger signing key created", "file", ledger.KeyFile, "dir", m.Config.DataDir, "public_key", k.VerifierKey)
	}
	m.Ledger = k
	return nil
}

// IssueCheckpoint signs a checkpoint of the ledger when it has grown since
// the latest one, and keeps a copy of the latest checkpoint this
// installation signed in the data folder (ledger.checkpoint), which
// `assay verify` holds the database to. The server's loop calls it every
// minute; exports call it before they take the checkpoint out. It returns
// the latest checkpoint (zero when the ledger is empty) and whether it is new.
func (m *Main) IssueCheckpoint(ctx context.Context) (ledger.Checkpoint, bool, error) {
	if err := m.openLedger(); err != nil {
		return ledger.Checkpoint{}, false, err
	}
	cp, issued, err := m.Store.AppendCheckpoint(ctx, m.signSameKey(ctx))
	if err != nil || cp.Size == 0 {
		return cp, issued, err
	}
	if !issued {
		// Catch up a copy a crash left behind, but only with a checkpoint
		// this installation's key signed.
		saved, err := ledger.ReadLastCheckpoint(m.Config.DataDir)
		if err != nil || saved == cp.Note {
			return cp, false, err
		}
		if _, _, err := ledger.OpenCheckpoint(cp.Note, m.Ledger.Verifier()); err != nil {
			return cp, false, nil
		}
	}
	if err := ledger.SaveLastCheckpoint(m.Config.DataDir, cp.Note); err != nil {
		return cp, issued, err
	}
	return cp, issued, nil
}

// ledgerKeyEnv gives the ledger's private key (as in ledger.key) to every
// server of one database.
const ledgerKeyEnv = "ASSAY_LEDGER_KEY"

// signSameKey signs a checkpoint only with the key the ledger's
// checkpoints are already signed with: servers of one database with
// different keys would otherwise sign checkpoints that never verify
// together. It refuses and says how to share the key.
func (m *Main) signSameKey(ctx context.Context) func(ledger.Tree, time.Time) (string, error) {
	return func(t ledger.Tree, at time.Time) (string, error) {
		latest, err := m.Store.LatestCheckpoint(ctx)
		if err != nil && assay.ErrorCode(err) != assay.ENOTFOUND {
			return "", err
		}
		if err == nil {
			origin, _, _ := strings.Cut(latest.Note, "\n")
			if origin != m.Ledger.Origin() {
				return "", fmt.Errorf("the ledger's checkpoints are signed with the key %s, but this server's key is %s: every server of one database "+
					"needs the same ledger key (copy %s from the first server's data folder, or give it to each in %s)", origin, m.Ledger.Origin(), ledger.KeyFile, ledgerKeyEnv)
			}
		}
		return m.Ledger.Sign(t, at)
	}
}

// checkpointLoop issues a checkpoint now and at every tick until ctx ends.
// afterRound, when not nil, runs after each round (tests wait on it).
func (m *Main) checkpointLoop(ctx context.Context, tick <-chan time.Time, afterRound func()) {
	for {
		if cp, issued, err := m.IssueCheckpoint(ctx); err != nil {
			if ctx.Err() == nil {
				m.Config.Logger.Error("ledger checkpoint failed", "err", err)
			}
		} else if issued {
			m.Config.Logger.Debug("ledger checkpoint signed", "size", cp.Size, "root", fmt.Sprint(cp.Root))
		}
		if afterRound != nil {
			afterRound()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
