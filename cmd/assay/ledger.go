package main

import (
	"context"
	"fmt"
	"time"

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
	cp, issued, err := m.Store.AppendCheckpoint(ctx, m.Ledger.Sign)
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
