package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/ledger"
)

// The ledger's figures (BENCHMARKS.md):
//
//	go test -run xxx -bench Ledger1M -benchtime 3x -timeout 30m ./cmd/assay/
//
// builds a ledger of 1,000,000 entries (ASSAY_BENCH_LEDGER_ENTRIES changes
// the size), then times `assay verify` on it and inclusion proofs from it.

// buildBigLedger writes a data folder whose ledger has about n entries: an
// organisation made through the store, then n activity rows with their
// leaves and stored hashes bulk-inserted in one transaction, exactly as the
// store would have written them one by one, with a signed checkpoint every
// 10,000 entries.
func buildBigLedger(dir string, n int64) (int64, error) {
	ctx := context.Background()
	clock := &assay.FixedClock{T: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)}
	m := NewMain(Config{DataDir: dir, Clock: clock, PasswordParams: fastParams, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := m.OpenStore(ctx); err != nil {
		return 0, err
	}
	org, err := m.Store.CreateOrganization(ctx, assay.SystemActor, "Bench", "bench", assay.Scope{}, m.Catalog.LibraryControls())
	if err != nil {
		return 0, err
	}
	if err := m.openLedger(); err != nil {
		return 0, err
	}
	key := m.Ledger
	if err := m.Close(); err != nil {
		return 0, err
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "assay.db")+"?_pragma=busy_timeout(10000)&_pragma=synchronous(OFF)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tree := &ledger.MemoryTree{}
	rows, err := db.Query(`SELECT hash FROM ledger_hashes ORDER BY idx`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var h []byte
		rows.Scan(&h)
		tree.Hashes = append(tree.Hashes, tlog.Hash(h))
	}
	rows.Close()
	if err := db.QueryRow(`SELECT COUNT(*) FROM ledger_leaves`).Scan(&tree.N); err != nil {
		return 0, err
	}
	var seq int64
	if err := db.QueryRow(`SELECT MAX(seq) FROM activity`).Scan(&seq); err != nil {
		return 0, err
	}

	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	insAct, err := tx.Prepare(`INSERT INTO activity (seq, org_id, at, actor_user_id, actor_name, actor_via, action, object_type, object_id, summary, before_json, after_json)
		VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	insLeaf, err := tx.Prepare(`INSERT INTO ledger_leaves (idx, seq) VALUES (?, ?)`)
	if err != nil {
		return 0, err
	}
	insHash, err := tx.Prepare(`INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`)
	if err != nil {
		return 0, err
	}
	insCP, err := tx.Prepare(`INSERT INTO ledger_checkpoints (tree_size, prev_size, root_hash, note_text, created_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	prevCP := int64(0)
	var lastNote string
	for i := range n {
		seq++
		clock.Advance(time.Duration(1+r.IntN(5000)) * time.Millisecond)
		e := ledger.Entry{Seq: seq, OrgID: org.ID, At: clock.Now().Format(ledger.TimeLayout), ActorName: "benchmark", ActorVia: "system",
			Action: "bench.note", ObjectType: "benchmark", ObjectID: fmt.Sprintf("B-%06d", i%100000),
			Summary: fmt.Sprintf("Benchmark entry %d: a note about a control, as long as a typical summary", i),
			Before:  []byte(fmt.Sprintf(`{"notes":"previous note %d","status":"in_progress"}`, r.IntN(1e6))),
			After:   []byte(fmt.Sprintf(`{"notes":"current note %d, checked by the benchmark","status":"implemented","owner_id":%d}`, r.IntN(1e6), 1+r.IntN(50)))}
		e.Index = tree.N
		buf = e.AppendLeaf(buf[:0])
		first := int64(len(tree.Hashes))
		hs, err := tree.Append(tlog.RecordHash(buf))
		if err != nil {
			return 0, err
		}
		if _, err := insAct.Exec(e.Seq, e.OrgID, e.At, e.ActorName, e.ActorVia, e.Action, e.ObjectType, e.ObjectID, e.Summary, string(e.Before), string(e.After)); err != nil {
			return 0, err
		}
		if _, err := insLeaf.Exec(e.Index, e.Seq); err != nil {
			return 0, err
		}
		for j, h := range hs {
			if _, err := insHash.Exec(first+int64(j), h[:]); err != nil {
				return 0, err
			}
		}
		if tree.N%10000 == 0 || i == n-1 {
			root, _ := tree.Root(tree.N)
			at := clock.Now()
			note, err := key.Sign(ledger.Tree{Size: tree.N, Root: root}, at)
			if err != nil {
				return 0, err
			}
			if _, err := insCP.Exec(tree.N, prevCP, root[:], note, at.Format(ledger.TimeLayout)); err != nil {
				return 0, err
			}
			prevCP, lastNote = tree.N, note
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	return tree.N, ledger.SaveLastCheckpoint(dir, lastNote)
}

// BenchmarkLedger1M builds the big ledger once (in a folder removed
// afterwards), then times `assay verify` on it and inclusion proofs from it.
func BenchmarkLedger1M(b *testing.B) {
	n := int64(1_000_000)
	if v := os.Getenv("ASSAY_BENCH_LEDGER_ENTRIES"); v != "" {
		var err error
		if n, err = strconv.ParseInt(v, 10, 64); err != nil {
			b.Fatal(err)
		}
	}
	dir := b.TempDir()
	start := time.Now()
	n, err := buildBigLedger(dir, n)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built a ledger of %d entries in %s", n, time.Since(start).Round(time.Second))

	// `assay verify` on it.
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			rep, _, err := verifyData(context.Background(), &globals{data: dir}, "")
			if err != nil {
				b.Fatal(err)
			}
			if rep.Entries != n {
				b.Fatalf("verified %d entries, want %d", rep.Entries, n)
			}
		}
		b.ReportMetric(float64(n), "entries")
	})

	// One inclusion proof, for a random entry, against the latest checkpoint.
	b.Run("InclusionProof", func(b *testing.B) {
		m := NewMain(Config{Clock: clocktest.Clock(), DataDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err := m.OpenStore(context.Background()); err != nil {
			b.Fatal(err)
		}
		defer m.Close()
		r := rand.New(rand.NewPCG(3, 4))
		for b.Loop() {
			p, err := m.Store.LedgerInclusion(context.Background(), r.Int64N(n), 0)
			if err != nil {
				b.Fatal(err)
			}
			if p.Checkpoint == nil {
				b.Fatal("no checkpoint with the proof")
			}
		}
	})
}
