package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// treeSize is the number of leaves committed now.
func (db *DB) treeSize(ctx context.Context) (int64, error) {
	var n int64
	if err := db.queryRow(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_leaves`).Scan(&n); err != nil {
		return 0, fmt.Errorf("ledger size: %w", err)
	}
	return n, nil
}

// LedgerSize is the number of entries in the ledger.
func (db *DB) LedgerSize(ctx context.Context) (int64, error) { return db.treeSize(ctx) }

func (db *DB) readHashes(ctx context.Context) hashReader {
	return hashReader{ctx: ctx, db: db, q: db.read}
}

// LedgerTree is the tree now. Stored hashes never change once written, so
// reading them after the size needs no transaction.
func (db *DB) LedgerTree(ctx context.Context) (ledger.Tree, error) {
	n, err := db.treeSize(ctx)
	if err != nil {
		return ledger.Tree{}, err
	}
	root, err := tlog.TreeHash(n, db.readHashes(ctx))
	if err != nil {
		return ledger.Tree{}, fmt.Errorf("ledger root at %d: %w", n, err)
	}
	return ledger.Tree{Size: n, Root: root}, nil
}

// AppendCheckpoint signs and stores a checkpoint of the current tree.
func (db *DB) AppendCheckpoint(ctx context.Context, sign func(ledger.Tree, time.Time) (string, error)) (ledger.Checkpoint, bool, error) {
	var cp ledger.Checkpoint
	var issued bool
	err := db.update(ctx, func(tx *Tx) error {
		n, err := tx.ledgerSize()
		if err != nil || n == 0 {
			return err
		}
		latest, err := scanCheckpoint(tx.queryRow(`SELECT ` + checkpointColumns + ` FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1`))
		switch {
		case err == nil && latest.Size == n:
			cp = latest
			return nil
		case err == nil && latest.Size > n:
			return fmt.Errorf("the latest checkpoint is at size %d but the ledger has %d leaves: it is damaged; run `assay verify`", latest.Size, n)
		case err != nil && assay.ErrorCode(err) != assay.ENOTFOUND:
			return err
		}
		root, err := tlog.TreeHash(n, hashReader{ctx: ctx, db: db, q: tx.Tx})
		if err != nil {
			return fmt.Errorf("ledger root at %d: %w", n, err)
		}
		tree := ledger.Tree{Size: n, Root: root}
		signed, err := sign(tree, tx.now)
		if err != nil {
			return err
		}
		// The signed note must say this tree and time: its text is
		// everything up to the blank line before the signatures.
		text, _, _ := strings.Cut(signed, "\n\n")
		if _, got, at, err := ledger.ParseCheckpointText(text + "\n"); err != nil || got != tree || !at.Equal(tx.now) {
			return fmt.Errorf("the signed checkpoint does not state the tree of size %d at %s (%v)", n, formatTime(tx.now), err)
		}
		cp = ledger.Checkpoint{Size: n, Root: root, PrevSize: latest.Size, Note: signed, CreatedAt: tx.now}
		if _, err := tx.exec(`INSERT INTO ledger_checkpoints (tree_size, prev_size, root_hash, note_text, created_at) VALUES (?, ?, ?, ?, ?)`,
			n, cp.PrevSize, root[:], signed, formatTime(tx.now)); err != nil {
			return fmt.Errorf("store checkpoint: %w", err)
		}
		issued = true
		return nil
	})
	if err != nil {
		return ledger.Checkpoint{}, false, err
	}
	return cp, issued, nil
}

const checkpointColumns = `tree_size, prev_size, root_hash, note_text, created_at`

func scanCheckpoint(row interface{ Scan(...any) error }) (ledger.Checkpoint, error) {
	var cp ledger.Checkpoint
	var root []byte
	var at string
	if err := row.Scan(&cp.Size, &cp.PrevSize, &root, &cp.Note, &at); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return cp, assay.Errorf(assay.ENOTFOUND, "No checkpoint has been signed yet.")
		}
		return cp, fmt.Errorf("scan checkpoint: %w", err)
	}
	if len(root) != tlog.HashSize {
		return cp, fmt.Errorf("checkpoint %d: root hash is %d bytes", cp.Size, len(root))
	}
	cp.Root = tlog.Hash(root)
	var err error
	cp.CreatedAt, err = parseTime(at)
	return cp, err
}

// LatestCheckpoint is the newest checkpoint.
func (db *DB) LatestCheckpoint(ctx context.Context) (ledger.Checkpoint, error) {
	return scanCheckpoint(db.queryRow(ctx, `SELECT `+checkpointColumns+` FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1`))
}

// CheckpointBefore is the newest checkpoint signed at or before at.
func (db *DB) CheckpointBefore(ctx context.Context, at time.Time) (ledger.Checkpoint, error) {
	return scanCheckpoint(db.queryRow(ctx, `SELECT `+checkpointColumns+` FROM ledger_checkpoints WHERE created_at <= ? ORDER BY tree_size DESC LIMIT 1`, formatTime(at)))
}

func (db *DB) checkpointAt(ctx context.Context, size int64) (*ledger.Checkpoint, error) {
	cp, err := scanCheckpoint(db.queryRow(ctx, `SELECT `+checkpointColumns+` FROM ledger_checkpoints WHERE tree_size = ?`, size))
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &cp, nil
}

// Checkpoints lists checkpoints newest first.
func (db *DB) Checkpoints(ctx context.Context, beforeSize int64, limit int) ([]ledger.Checkpoint, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT ` + checkpointColumns + ` FROM ledger_checkpoints`
	var args []any
	if beforeSize > 0 {
		q += ` WHERE tree_size < ?`
		args = append(args, beforeSize)
	}
	rows, err := db.query(ctx, q+fmt.Sprintf(` ORDER BY tree_size DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list checkpoints: %w", err)
	}
	defer rows.Close()
	out := []ledger.Checkpoint{}
	for rows.Next() {
		cp, err := scanCheckpoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, cp)
	}
	return out, rows.Err()
}

// LedgerInclusionBySeq proves an activity entry is in the tree.
func (db *DB) LedgerInclusionBySeq(ctx context.Context, seq, treeSize int64) (ledger.Inclusion, error) {
	var idx int64
	err := db.queryRow(ctx, `SELECT idx FROM ledger_leaves WHERE seq = ?`, seq).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Inclusion{}, assay.Errorf(assay.ENOTFOUND, "Activity entry #%d is not in the ledger.", seq)
	} else if err != nil {
		return ledger.Inclusion{}, fmt.Errorf("ledger leaf of #%d: %w", seq, err)
	}
	return db.LedgerInclusion(ctx, idx, treeSize)
}

// LedgerInclusion proves leaf index is in the tree of treeSize leaves.
func (db *DB) LedgerInclusion(ctx context.Context, index, treeSize int64) (ledger.Inclusion, error) {
	var p ledger.Inclusion
	n, err := db.treeSize(ctx)
	if err != nil {
		return p, err
	}
	if index < 0 || index >= n {
		return p, assay.Errorf(assay.ENOTFOUND, "The ledger has no leaf %d.", index)
	}
	if treeSize == 0 {
		treeSize = n
		if cp, err := db.LatestCheckpoint(ctx); err == nil && cp.Size > index {
			treeSize = cp.Size
		}
	}
	switch {
	case treeSize > n:
		return p, assay.Invalid("size", "The ledger has %d entries; ask for a size up to %d.", n, n)
	case treeSize <= index:
		return p, assay.Invalid("size", "Leaf %d is not in the tree of size %d; ask for a size above %d.", index, treeSize, index)
	}
	r := db.readHashes(ctx)
	if p.Proof, err = tlog.ProveRecord(treeSize, index, r); err != nil {
		return p, fmt.Errorf("prove leaf %d in %d: %w", index, treeSize, err)
	}
	if p.Root, err = tlog.TreeHash(treeSize, r); err != nil {
		return p, fmt.Errorf("ledger root at %d: %w", treeSize, err)
	}
	leaf, err := r.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
	if err != nil {
		return p, err
	}
	p.Index, p.TreeSize, p.LeafHash = index, treeSize, leaf[0]
	rows, err := db.query(ctx, `SELECT l.idx, l.seq, a.seq, a.org_id, a.at, a.actor_user_id, a.actor_name, a.actor_via, a.action,
		a.object_type, a.object_id, a.summary, a.before_json, a.after_json
		FROM ledger_leaves l LEFT JOIN activity a ON a.seq = l.seq WHERE l.idx = ?`, index)
	if err != nil {
		return p, fmt.Errorf("read ledger leaf %d: %w", index, err)
	}
	err = scanLeafRows(rows, func(l ledger.LeafRow) error {
		p.Seq, p.Leaf = l.Seq, string(l.Entry.Leaf())
		if !l.Found {
			return fmt.Errorf("ledger leaf %d points at activity entry #%d, which is gone; run `assay verify`", index, l.Seq)
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	// A proof that does not check is not handed out: the row no longer
	// matches the ledger.
	if err := p.Check(); err != nil {
		return p, fmt.Errorf("activity entry #%d does not match the ledger (%v); run `assay verify`", p.Seq, err)
	}
	if p.Checkpoint, err = db.checkpointAt(ctx, treeSize); err != nil {
		return p, err
	}
	return p, nil
}

// LedgerConsistency proves the tree of size from is a prefix of the tree of size to.
func (db *DB) LedgerConsistency(ctx context.Context, from, to int64) (ledger.Consistency, error) {
	var p ledger.Consistency
	n, err := db.treeSize(ctx)
	if err != nil {
		return p, err
	}
	if to == 0 {
		to = n
		if cp, err := db.LatestCheckpoint(ctx); err == nil && cp.Size >= from {
			to = cp.Size
		}
	}
	switch {
	case from < 1:
		return p, assay.Invalid("from", "from must be a tree size of at least 1.")
	case to > n:
		return p, assay.Invalid("to", "The ledger has %d entries; ask for a size up to %d.", n, n)
	case from > to:
		return p, assay.Invalid("from", "from (%d) must not be larger than to (%d).", from, to)
	}
	r := db.readHashes(ctx)
	if p.Proof, err = tlog.ProveTree(to, from, r); err != nil {
		return p, fmt.Errorf("prove %d in %d: %w", from, to, err)
	}
	if p.FromRoot, err = tlog.TreeHash(from, r); err != nil {
		return p, err
	}
	if p.ToRoot, err = tlog.TreeHash(to, r); err != nil {
		return p, err
	}
	p.From, p.To = from, to
	return p, nil
}

// LedgerProof proves one of the organisation's own entries is in the tree.
func (s *orgStore) LedgerProof(ctx context.Context, seq, treeSize int64) (ledger.Inclusion, error) {
	var one int
	err := s.db.queryRow(ctx, `SELECT 1 FROM activity WHERE seq = ? AND org_id = ?`, seq, s.orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ledger.Inclusion{}, assay.Errorf(assay.ENOTFOUND, "No activity entry #%d in this organisation.", seq)
	} else if err != nil {
		return ledger.Inclusion{}, fmt.Errorf("activity #%d: %w", seq, err)
	}
	return s.db.LedgerInclusionBySeq(ctx, seq, treeSize)
}
