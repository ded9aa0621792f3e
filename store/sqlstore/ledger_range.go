package sqlstore

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
)

// maxRangeLeaves bounds one range proof.
const maxRangeLeaves = 2_000_000

// LedgerRange proves the leaves [from, to) are every leaf appended between
// the trees of those sizes: the frontier of the first tree, and each leaf,
// with its data when it is the organisation's entry and its hash alone
// when another organisation's. The checkpoints' signed notes are the
// caller's to add.
func (s *orgStore) LedgerRange(ctx context.Context, from, to int64) (ledger.RangeProof, error) {
	var p ledger.RangeProof
	n, err := s.db.treeSize(ctx)
	if err != nil {
		return p, err
	}
	switch {
	case from < 0 || from > to:
		return p, assay.Invalid("from", "from (%d) must be between 0 and to (%d).", from, to)
	case to > n:
		return p, assay.Invalid("to", "The ledger has %d entries; ask for a size up to %d.", n, n)
	case to-from > maxRangeLeaves:
		return p, assay.Invalid("to", "A range holds at most %d entries; ask for a shorter one.", maxRangeLeaves)
	}
	r := s.db.readHashes(ctx)
	if p.Frontier, err = ledger.Frontier(from, r); err != nil {
		return p, fmt.Errorf("ledger frontier at %d: %w", from, err)
	}
	for _, t := range []*ledger.Tree{&p.From, &p.To} {
		size := from
		if t == &p.To {
			size = to
		}
		if t.Root, err = tlog.TreeHash(size, r); err != nil {
			return p, fmt.Errorf("ledger root at %d: %w", size, err)
		}
		t.Size = size
	}
	p.Leaves = make([]ledger.RangeLeaf, 0, to-from)
	rows, err := s.db.query(ctx, `SELECT l.idx, l.seq, a.seq, a.org_id, a.at, a.actor_user_id, a.actor_name, a.actor_via, a.action,
		a.object_type, a.object_id, a.summary, a.before_json, a.after_json
		FROM ledger_leaves l LEFT JOIN activity a ON a.seq = l.seq AND a.org_id = ? WHERE l.idx >= ? AND l.idx < ? ORDER BY l.idx`, s.orgID, from, to)
	if err != nil {
		return p, fmt.Errorf("read ledger range: %w", err)
	}
	var others []int64 // positions in p.Leaves that need their hash
	err = scanLeafRows(rows, func(l ledger.LeafRow) error {
		leaf := ledger.RangeLeaf{Index: l.Index}
		if l.Found {
			leaf.Data = string(l.Entry.Leaf())
		} else {
			others = append(others, int64(len(p.Leaves)))
		}
		p.Leaves = append(p.Leaves, leaf)
		return nil
	})
	if err != nil {
		return p, err
	}
	if int64(len(p.Leaves)) != to-from {
		return p, fmt.Errorf("the ledger holds %d leaves between %d and %d; run `assay verify`", len(p.Leaves), from, to)
	}
	for len(others) > 0 {
		batch := others[:min(len(others), 500)]
		others = others[len(batch):]
		idx := make([]int64, len(batch))
		for i, pos := range batch {
			idx[i] = tlog.StoredHashIndex(0, p.Leaves[pos].Index)
		}
		hashes, err := r.ReadHashes(idx)
		if err != nil {
			return p, fmt.Errorf("read leaf hashes: %w", err)
		}
		for i, pos := range batch {
			p.Leaves[pos].Hash = hashes[i]
		}
	}
	return p, nil
}
