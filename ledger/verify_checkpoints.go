package ledger

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// checkCheckpoints checks every stored checkpoint against the rebuilt tree
// and the key, then the data folder's copy of the last one.
func checkCheckpoints(ctx context.Context, snap Snapshot, tree *MemoryTree, opts Options, rep *Report) error {
	cps, err := snap.Checkpoints(ctx)
	if err != nil {
		return fmt.Errorf("read checkpoints: %w", err)
	}
	if len(cps) > 0 && opts.Verifier == nil {
		return mismatch("The database has %d checkpoints but no public key was given to check their signatures.", len(cps))
	}
	prev := int64(0)
	var prevAt string
	sizes := map[int64]tlog.Hash{}
	for _, c := range cps {
		if c.Size > tree.N {
			return mismatch("The checkpoint at size %d is beyond the %d entries of the ledger: entries were removed.", c.Size, tree.N)
		}
		if c.Size <= prev {
			return mismatch("The checkpoint at size %d is out of order.", c.Size)
		}
		if c.PrevSize != prev {
			if prev == 0 {
				return mismatch("The first checkpoint (size %d) says it follows one at size %d, which is not in the database: a checkpoint was deleted.", c.Size, c.PrevSize)
			}
			return mismatch("The checkpoint at size %d says it follows one at size %d, but the one before it is at size %d: a checkpoint was deleted or changed.", c.Size, c.PrevSize, prev)
		}
		t, at, err := OpenCheckpoint(c.Note, opts.Verifier)
		if err != nil {
			return mismatch("The checkpoint at size %d is not signed by the ledger key %s (%v).", c.Size, opts.Verifier.Name(), err)
		}
		if t.Size != c.Size || len(c.Root) != tlog.HashSize || tlog.Hash(c.Root) != t.Root || at.Format(TimeLayout) != c.CreatedAt {
			return mismatch("The checkpoint at size %d does not say what its signed note says (size %d, root %s, signed %s): the row was changed.",
				c.Size, t.Size, t.Root, at.Format(TimeLayout))
		}
		root, err := tree.Root(c.Size)
		if err != nil {
			return err
		}
		if root != t.Root {
			return mismatch("The signed checkpoint at size %d has root %s but the entries make %s: entries before it were changed.", c.Size, t.Root, root)
		}
		if c.CreatedAt < prevAt {
			return mismatch("The checkpoint at size %d has a creation time %q out of order: the row was changed.", c.Size, c.CreatedAt)
		}
		prev, prevAt = c.Size, c.CreatedAt
		sizes[c.Size] = root
	}
	rep.Checkpoints = len(cps)
	if len(cps) > 0 {
		last := cps[len(cps)-1]
		at, _ := ParseTime(last.CreatedAt)
		rep.Latest = &Checkpoint{Size: last.Size, Root: tlog.Hash(last.Root), PrevSize: last.PrevSize, Note: last.Note, CreatedAt: at}
	}
	return checkLastCheckpoint(opts, tree, sizes, len(cps))
}

func checkLastCheckpoint(opts Options, tree *MemoryTree, sizes map[int64]tlog.Hash, count int) error {
	if opts.LastCheckpoint == "" {
		if opts.RequireLastCheckpoint && count > 0 {
			return mismatch("The data folder has no copy of the last checkpoint (%s) though the database has %d checkpoints: the file was deleted.", LastCheckpointFile, count)
		}
		return nil
	}
	if opts.Verifier == nil {
		return mismatch("The data folder has a last checkpoint (%s) but no public key was given to check it.", LastCheckpointFile)
	}
	t, _, err := OpenCheckpoint(opts.LastCheckpoint, opts.Verifier)
	if err != nil {
		return mismatch("The data folder's last checkpoint (%s) is not signed by the ledger key %s (%v).", LastCheckpointFile, opts.Verifier.Name(), err)
	}
	if t.Size > tree.N {
		return mismatch("The last checkpoint this installation signed is at size %d but the ledger has %d entries: entries were removed.", t.Size, tree.N)
	}
	root, ok := sizes[t.Size]
	if !ok {
		return mismatch("The last checkpoint this installation signed (size %d) is not in the database: it was deleted.", t.Size)
	}
	if root != t.Root {
		return mismatch("The last checkpoint this installation signed (size %d) has root %s but the entries make %s: entries before it were changed.", t.Size, t.Root, root)
	}
	return nil
}
