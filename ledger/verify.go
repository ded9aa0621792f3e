package ledger

import (
	"context"
	"encoding/json"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Snapshot is one consistent read of everything Verify checks. The store
// makes it inside a read-only transaction.
type Snapshot interface {
	// Leaves calls fn for every ledger leaf in index order, with the live
	// activity row it points at. The Entry passed may be reused after fn
	// returns.
	Leaves(ctx context.Context, fn func(LeafRow) error) error
	// Hashes calls fn for every stored hash in index order.
	Hashes(ctx context.Context, fn func(index int64, hash []byte) error) error
	// ActivityCount counts the activity rows.
	ActivityCount(ctx context.Context) (int64, error)
	// FirstUnledgered returns the smallest seq of an activity row that no
	// leaf points at.
	FirstUnledgered(ctx context.Context) (seq int64, found bool, err error)
	// Checkpoints lists the stored checkpoints by size.
	Checkpoints(ctx context.Context) ([]StoredCheckpoint, error)
	// State reads the live rows of the tables the ledger records changes to.
	State(ctx context.Context) (LiveState, error)
	// EvidenceDigests lists the distinct blob digests evidence records point
	// at; exists is false when there is no evidence table yet.
	EvidenceDigests(ctx context.Context) (digests []string, exists bool, err error)
}

// LeafRow is one leaf and the live activity row it points at.
type LeafRow struct {
	Index int64 // the leaf's index as stored
	Seq   int64 // the seq the leaf points at
	Found bool  // whether that activity row exists
	Entry Entry // the live row (Index and Seq set from the leaf)
}

// StoredCheckpoint is a checkpoint row as stored, unchecked.
type StoredCheckpoint struct {
	Size      int64
	PrevSize  int64
	Root      []byte
	Note      string
	CreatedAt string
}

// Options says what Verify checks signatures and blobs against.
type Options struct {
	// Verifier checks checkpoint signatures. Without one, any checkpoint
	// is a failure: it cannot be checked.
	Verifier note.Verifier
	// LastCheckpoint is the data folder's copy of the last checkpoint this
	// installation signed ("" when there is none). When it is set, the
	// database must still hold that checkpoint.
	LastCheckpoint string
	// RequireLastCheckpoint makes a missing copy a failure when the
	// database has checkpoints (the data folder is the one that signs).
	RequireLastCheckpoint bool
	// BlobDir is the evidence blob folder (DATA/blobs); "" skips blobs.
	BlobDir string
	// Blobs, when set, is used instead of BlobDir: it checks every blob of
	// another store (an S3 bucket) and returns the digests found, or a
	// *Mismatch for the first that does not match. BlobsWhere names that
	// store in messages.
	Blobs      func(ctx context.Context) (map[string]bool, error)
	BlobsWhere string
}

// Report is what Verify found when everything matched.
type Report struct {
	Entries         int64       `json:"entries"`
	Root            tlog.Hash   `json:"root_hash"`
	StoredHashes    int64       `json:"stored_hashes"`
	Checkpoints     int         `json:"checkpoints"`
	Latest          *Checkpoint `json:"latest_checkpoint,omitempty"`
	Organizations   int         `json:"organizations"`
	Controls        int         `json:"controls"`
	Users           int         `json:"users"`
	APITokens       int         `json:"api_tokens"`
	Blobs           int         `json:"blobs"`
	EvidenceDigests int         `json:"evidence_digests"`
}

// Mismatch is a failed check: one plain sentence naming the first thing
// that does not match.
type Mismatch struct{ Sentence string }

func (m *Mismatch) Error() string { return m.Sentence }

func mismatch(format string, args ...any) error {
	return &Mismatch{Sentence: fmt.Sprintf(format, args...)}
}

// Verify recomputes the ledger from the snapshot and checks, in order:
// the stored hashes are contiguous; every leaf points, in order, at a live
// activity row whose canonical JSON hashes to the hash stored for it; the
// stored hashes are the tree those leaves make; every activity row is a
// leaf; every checkpoint is signed by the key, chained to the one before,
// and commits to the recomputed tree at its size; the data folder's last
// checkpoint is in the database; the live organisations, controls, users and
// API tokens are the state the ledger last recorded for them; and every
// blob is named by its SHA-256, and every evidence digest has its blob.
//
// It returns a *Mismatch for the first thing that does not match, and
// other errors when it could not read.
func Verify(ctx context.Context, snap Snapshot, opts Options) (Report, error) {
	var rep Report
	stored, err := loadHashes(ctx, snap)
	if err != nil {
		return rep, err
	}
	tree, replay, err := checkLeaves(ctx, snap, stored)
	if err != nil {
		return rep, err
	}
	rep.Entries = tree.N
	rep.StoredHashes = int64(len(tree.Hashes))
	if rep.Root, err = tree.Root(tree.N); err != nil {
		return rep, err
	}
	if err := checkActivityCount(ctx, snap, tree.N); err != nil {
		return rep, err
	}
	if err := checkCheckpoints(ctx, snap, tree, opts, &rep); err != nil {
		return rep, err
	}
	live, err := snap.State(ctx)
	if err != nil {
		return rep, err
	}
	if err := replay.compare(live, &rep); err != nil {
		return rep, err
	}
	if err := checkBlobs(ctx, snap, opts, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// loadHashes reads the stored hashes, which must be numbered 0, 1, 2, ...
func loadHashes(ctx context.Context, snap Snapshot) ([]tlog.Hash, error) {
	var out []tlog.Hash
	err := snap.Hashes(ctx, func(idx int64, h []byte) error {
		if idx != int64(len(out)) {
			if idx > int64(len(out)) {
				return mismatch("Stored hash %d of the ledger is missing (the stored hashes jump from %d to %d).", len(out), len(out)-1, idx)
			}
			return mismatch("Stored hash %d of the ledger is out of order.", idx)
		}
		if len(h) != tlog.HashSize {
			return mismatch("Stored hash %d of the ledger is %d bytes long, not %d.", idx, len(h), tlog.HashSize)
		}
		out = append(out, tlog.Hash(h))
		return nil
	})
	return out, err
}

// checkLeaves rebuilds the tree from the live activity rows and compares
// it, leaf by leaf, with the stored hashes.
func checkLeaves(ctx context.Context, snap Snapshot, stored []tlog.Hash) (*MemoryTree, *replay, error) {
	tree := &MemoryTree{Hashes: make([]tlog.Hash, 0, len(stored))}
	rp := newReplay()
	var buf []byte
	lastSeq := int64(0)
	err := snap.Leaves(ctx, func(l LeafRow) error {
		n := tree.N
		switch {
		case l.Index > n:
			return mismatch("Ledger leaf %d is missing (the leaves jump from %d to %d).", n, n-1, l.Index)
		case l.Index < n:
			return mismatch("Ledger leaf %d appears twice.", l.Index)
		case !l.Found:
			return mismatch("Ledger leaf %d points at activity entry #%d, which is not in the database: the entry was deleted, or the leaf changed or added.", n, l.Seq)
		case l.Seq <= lastSeq:
			return mismatch("Ledger leaf %d points at activity entry #%d, after leaf %d pointed at #%d: the leaves are out of order.", n, l.Seq, n-1, lastSeq)
		}
		lastSeq = l.Seq
		e := l.Entry
		if !canonicalState(e.Before) {
			return mismatch("Activity entry #%d (ledger leaf %d) has a before state that Assay does not write (not a JSON object, array or value other than null): the row was changed.", l.Seq, n)
		}
		if !canonicalState(e.After) {
			return mismatch("Activity entry #%d (ledger leaf %d) has an after state that Assay does not write (not a JSON object, array or value other than null): the row was changed.", l.Seq, n)
		}
		buf = e.AppendLeaf(buf[:0])
		first := int64(len(tree.Hashes))
		hs, err := tree.Append(tlog.RecordHash(buf))
		if err != nil {
			return err
		}
		for i, h := range hs {
			at := first + int64(i)
			if at >= int64(len(stored)) {
				return mismatch("The ledger has leaf %d but its stored hashes stop at %d: hash rows were deleted.", n, len(stored))
			}
			if stored[at] == h {
				continue
			}
			if i == 0 {
				return mismatch("Activity entry #%d (ledger leaf %d) does not match the hash the ledger holds for it: the row, or that stored hash, was changed.", l.Seq, n)
			}
			return mismatch("Stored hash %d of the ledger does not match the tree rebuilt from the entries up to leaf %d: the hash row was changed.", at, n)
		}
		rp.observe(e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(stored) != len(tree.Hashes) {
		return nil, nil, mismatch("The ledger has %d stored hashes where its %d leaves make %d: hash rows were added.", len(stored), tree.N, len(tree.Hashes))
	}
	return tree, rp, nil
}

func checkActivityCount(ctx context.Context, snap Snapshot, leaves int64) error {
	n, err := snap.ActivityCount(ctx)
	if err != nil {
		return err
	}
	if n == leaves {
		return nil
	}
	seq, found, err := snap.FirstUnledgered(ctx)
	if err != nil {
		return err
	}
	if found {
		return mismatch("Activity entry #%d is not in the ledger: it was added behind Assay's back.", seq)
	}
	return mismatch("The database has %d activity entries but the ledger %d.", n, leaves)
}

// canonicalState reports whether a stored before or after is what the store
// writes: NULL, or valid JSON other than null (which would read the same in
// a leaf as NULL).
func canonicalState(b []byte) bool {
	return b == nil || (json.Valid(b) && string(b) != "null")
}
