package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay/ledger"
)

// Ledger is the tamper-evident log over the activity trail (package
// ledger). Every activity entry is appended to it in its change's own
// transaction; these are the installation-wide (admin path) reads and the
// checkpoint writer. The tree spans every organisation: its size and root
// are not organisation data, but entries are, so OrgLedger is the only way
// an organisation's user gets at one.
type Ledger interface {
	// LedgerTree is the tree now: its size and root hash.
	LedgerTree(ctx context.Context) (ledger.Tree, error)
	// AppendCheckpoint signs the current tree with sign and stores the
	// checkpoint, in one transaction with the writers' lock held. When the
	// tree has not grown since the latest checkpoint it returns that one
	// with issued false; with an empty tree, a zero Checkpoint.
	// sign is given the tree and the time (the store's clock), and returns
	// the signed note (ledger.Key.Sign).
	AppendCheckpoint(ctx context.Context, sign func(ledger.Tree, time.Time) (string, error)) (cp ledger.Checkpoint, issued bool, err error)
	// LatestCheckpoint is the newest checkpoint; ENOTFOUND when none.
	LatestCheckpoint(ctx context.Context) (ledger.Checkpoint, error)
	// CheckpointBefore is the newest checkpoint signed at or before at;
	// ENOTFOUND when none.
	CheckpointBefore(ctx context.Context, at time.Time) (ledger.Checkpoint, error)
	// Checkpoints lists up to limit checkpoints, newest first, older than
	// beforeSize (0 for the newest).
	Checkpoints(ctx context.Context, beforeSize int64, limit int) ([]ledger.Checkpoint, error)
	// LedgerInclusion proves that leaf index is in the tree of treeSize
	// leaves. A treeSize of 0 picks the latest checkpoint's size when it
	// covers the leaf, else the current size.
	LedgerInclusion(ctx context.Context, index, treeSize int64) (ledger.Inclusion, error)
	// LedgerInclusionBySeq is LedgerInclusion for the activity entry seq.
	LedgerInclusionBySeq(ctx context.Context, seq, treeSize int64) (ledger.Inclusion, error)
	// LedgerConsistency proves the tree of size from is a prefix of the
	// tree of size to (0 < from <= to <= the current size).
	LedgerConsistency(ctx context.Context, from, to int64) (ledger.Consistency, error)
	// LedgerSnapshot runs fn on one consistent read of the ledger, the
	// activity trail and the state they record, for ledger.Verify.
	LedgerSnapshot(ctx context.Context, fn func(ledger.Snapshot) error) error
}

// OrgLedger is the ledger as one organisation sees it: proofs for its own
// entries only.
type OrgLedger interface {
	// LedgerProof proves the organisation's activity entry seq is in the
	// tree (treeSize as for Ledger.LedgerInclusion). Another
	// organisation's entry is ENOTFOUND.
	LedgerProof(ctx context.Context, seq, treeSize int64) (ledger.Inclusion, error)
	// LedgerRange proves that the leaves [from, to) are every leaf the
	// ledger appended between the trees of those sizes, giving the data of
	// the organisation's own entries and only the hashes of others'
	// (ledger.RangeProof; the signed notes are the caller's to add).
	LedgerRange(ctx context.Context, from, to int64) (ledger.RangeProof, error)
}
