package ledger

import (
	"encoding/json"
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// RangeProof shows that a run of leaves is every leaf the ledger appended
// between two checkpoints: the tree of size From.Size, extended by Leaves
// in order, is the tree of size To.Size. Whoever holds the two signed
// checkpoints and trusts the key can therefore be sure no entry of the run
// was left out, added or changed.
//
// The proof is a compact range (the frontier of the first tree: the roots
// of the perfect subtrees that make it up, largest first) plus the leaves.
// Leaves of the organisation carry their canonical data; leaves of other
// organisations on the same ledger carry only their hash, so the proof
// shows nothing of theirs.
type RangeProof struct {
	From     Tree        `json:"from"`
	To       Tree        `json:"to"`
	Frontier []tlog.Hash `json:"frontier"`
	// FromNote and ToNote are the signed checkpoints of From and To
	// (FromNote is empty when From is the empty tree, which needs none).
	FromNote string      `json:"from_checkpoint,omitempty"`
	ToNote   string      `json:"to_checkpoint"`
	Leaves   []RangeLeaf `json:"leaves"`
}

// RangeLeaf is one leaf of a range: Data (the canonical leaf, Entry.Leaf)
// for the organisation's own entries, Hash alone for others'.
type RangeLeaf struct {
	Index int64     `json:"index"`
	Data  string    `json:"data,omitempty"`
	Hash  tlog.Hash `json:"hash,omitzero"`
}

// Frontier reads the roots of the perfect subtrees that make up the tree
// of size n, largest (leftmost) first.
func Frontier(n int64, r tlog.HashReader) ([]tlog.Hash, error) {
	var idx []int64
	var start int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) == 0 {
			continue
		}
		idx = append(idx, tlog.StoredHashIndex(level, start>>level))
		start += 1 << level
	}
	if len(idx) == 0 {
		return []tlog.Hash{}, nil
	}
	return r.ReadHashes(idx)
}

// compact is a compact range over [0, size): the roots of its perfect
// subtrees with their heights, largest first.
type compact struct {
	size   int64
	hashes []tlog.Hash
	levels []int
}

func newCompact(size int64, frontier []tlog.Hash) (*compact, error) {
	if len(frontier) != bits.OnesCount64(uint64(size)) {
		return nil, fmt.Errorf("a tree of %d leaves has %d subtrees, but the proof gives %d", size, bits.OnesCount64(uint64(size)), len(frontier))
	}
	c := &compact{size: size}
	i := 0
	for level := 62; level >= 0; level-- {
		if size&(1<<level) != 0 {
			c.hashes = append(c.hashes, frontier[i])
			c.levels = append(c.levels, level)
			i++
		}
	}
	return c, nil
}

// append adds the next leaf's hash, merging subtrees of equal height.
func (c *compact) append(h tlog.Hash) {
	c.hashes, c.levels = append(c.hashes, h), append(c.levels, 0)
	c.size++
	for n := len(c.levels); n >= 2 && c.levels[n-2] == c.levels[n-1]; n = len(c.levels) {
		c.hashes[n-2] = tlog.NodeHash(c.hashes[n-2], c.hashes[n-1])
		c.levels[n-2]++
		c.hashes, c.levels = c.hashes[:n-1], c.levels[:n-1]
	}
}

// root is the RFC 6962 root: the subtrees folded from the right.
func (c *compact) root() tlog.Hash {
	if len(c.hashes) == 0 {
		h, _ := tlog.TreeHash(0, nil) // the empty tree's root
		return h
	}
	h := c.hashes[len(c.hashes)-1]
	for i := len(c.hashes) - 2; i >= 0; i-- {
		h = tlog.NodeHash(c.hashes[i], h)
	}
	return h
}

// Check verifies the proof with v (the ledger's public key): both
// checkpoints' signatures and that they name From and To, that the
// frontier makes From's root, and that From extended by the leaves is To.
// It returns the organisation's entries of the range, in ledger order, as
// their canonical data.
func (p RangeProof) Check(v note.Verifier) ([]string, error) {
	if p.From.Size > 0 || p.FromNote != "" {
		t, _, err := OpenCheckpoint(p.FromNote, v)
		if err != nil {
			return nil, fmt.Errorf("the first checkpoint does not verify: %w", err)
		}
		if t != p.From {
			return nil, fmt.Errorf("the first checkpoint signs a tree of %d entries, not the proof's %d", t.Size, p.From.Size)
		}
	}
	t, _, err := OpenCheckpoint(p.ToNote, v)
	if err != nil {
		return nil, fmt.Errorf("the second checkpoint does not verify: %w", err)
	}
	if t != p.To {
		return nil, fmt.Errorf("the second checkpoint signs a tree of %d entries, not the proof's %d", t.Size, p.To.Size)
	}
	return p.check()
}

// check is Check without the signatures.
func (p RangeProof) check() ([]string, error) {
	if p.To.Size < p.From.Size || int64(len(p.Leaves)) != p.To.Size-p.From.Size {
		return nil, fmt.Errorf("the ledger grew from %d to %d entries, but the proof gives %d of them", p.From.Size, p.To.Size, len(p.Leaves))
	}
	c, err := newCompact(p.From.Size, p.Frontier)
	if err != nil {
		return nil, err
	}
	if p.From.Size > 0 && c.root() != p.From.Root {
		return nil, fmt.Errorf("the proof's frontier does not make the root of the tree of %d entries", p.From.Size)
	}
	var own []string
	for i, l := range p.Leaves {
		want := p.From.Size + int64(i)
		if l.Index != want {
			return nil, fmt.Errorf("leaf %d comes where leaf %d should", l.Index, want)
		}
		h := l.Hash
		if l.Data != "" {
			h = tlog.RecordHash([]byte(l.Data))
			var idx struct {
				Index *int64 `json:"index"`
			}
			if err := json.Unmarshal([]byte(l.Data), &idx); err != nil || idx.Index == nil || *idx.Index != l.Index {
				return nil, fmt.Errorf("leaf %d's data does not name its own index", l.Index)
			}
			own = append(own, l.Data)
		}
		c.append(h)
	}
	if c.root() != p.To.Root {
		return nil, fmt.Errorf("the leaves from %d to %d do not make the root of the tree of %d entries: an entry was left out, added or changed", p.From.Size, p.To.Size-1, p.To.Size)
	}
	return own, nil
}
