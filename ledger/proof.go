package ledger

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Inclusion proves that one entry is leaf Index of the tree of TreeSize
// leaves whose root is Root. Anyone can check it: hash Leaf, then walk
// Proof up to Root (Check does both).
type Inclusion struct {
	Seq      int64       `json:"seq"`
	Index    int64       `json:"index"`
	TreeSize int64       `json:"tree_size"`
	Leaf     string      `json:"leaf"` // the entry's canonical JSON: the leaf's data
	LeafHash tlog.Hash   `json:"leaf_hash"`
	Proof    []tlog.Hash `json:"proof"`
	Root     tlog.Hash   `json:"root_hash"`
	// Checkpoint is the signed checkpoint at TreeSize, when there is one.
	Checkpoint *Checkpoint `json:"checkpoint,omitempty"`
}

// Check recomputes the leaf hash from Leaf and checks the proof against Root.
func (p Inclusion) Check() error {
	if tlog.RecordHash([]byte(p.Leaf)) != p.LeafHash {
		return errors.New("the leaf's data does not hash to the leaf hash")
	}
	if err := tlog.CheckRecord(p.Proof, p.TreeSize, p.Root, p.Index, p.LeafHash); err != nil {
		return fmt.Errorf("leaf %d is not in the tree of size %d: %w", p.Index, p.TreeSize, err)
	}
	return nil
}

// Consistency proves that the tree of size From is a prefix of the tree of
// size To: nothing before From was changed, only appended to.
type Consistency struct {
	From     int64       `json:"from"`
	To       int64       `json:"to"`
	FromRoot tlog.Hash   `json:"from_root_hash"`
	ToRoot   tlog.Hash   `json:"to_root_hash"`
	Proof    []tlog.Hash `json:"proof"`
}

// Check checks the proof between the two roots.
func (p Consistency) Check() error {
	if err := tlog.CheckTree(p.Proof, p.To, p.ToRoot, p.From, p.FromRoot); err != nil {
		return fmt.Errorf("the tree of size %d is not a prefix of the tree of size %d: %w", p.From, p.To, err)
	}
	return nil
}

// MemoryTree is a tree held in memory: its stored hashes in stored-hash
// order. Verify rebuilds the ledger in one; it is also a quick HashReader
// for building large ledgers.
type MemoryTree struct {
	N      int64       // leaves
	Hashes []tlog.Hash // tlog.StoredHashCount(N) stored hashes
}

// ReadHashes implements tlog.HashReader.
func (m *MemoryTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.Hashes)) {
			return nil, fmt.Errorf("stored hash %d is not there (have %d)", x, len(m.Hashes))
		}
		out[i] = m.Hashes[x]
	}
	return out, nil
}

// Append adds the next leaf, whose hash is h, and returns the stored
// hashes it added (to be written from tlog.StoredHashIndex(0, N-1)).
func (m *MemoryTree) Append(h tlog.Hash) ([]tlog.Hash, error) {
	hs, err := tlog.StoredHashesForRecordHash(m.N, h, m)
	if err != nil {
		return nil, err
	}
	m.Hashes = append(m.Hashes, hs...)
	m.N++
	return hs, nil
}

// Root is the root hash of the tree of the first n leaves.
func (m *MemoryTree) Root(n int64) (tlog.Hash, error) { return tlog.TreeHash(n, m) }
