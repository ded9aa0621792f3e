package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay/ledger"
)

// The write side of the ledger: every activity row is appended as a leaf,
// with its stored hashes, in the transaction that writes it (under the
// writers' lock, so leaf indexes are 0, 1, 2, ... in commit order).

// appendLeaf appends the entry of a just-inserted activity row.
func (tx *Tx) appendLeaf(e ledger.Entry) error {
	n, err := tx.ledgerSize()
	if err != nil {
		return err
	}
	e.Index = n
	hashes, err := tlog.StoredHashes(n, e.Leaf(), hashReader{ctx: tx.ctx, db: tx.db, q: tx.Tx})
	if err != nil {
		return fmt.Errorf("ledger leaf %d: %w", n, err)
	}
	if _, err := tx.exec(`INSERT INTO ledger_leaves (idx, seq) VALUES (?, ?)`, n, e.Seq); err != nil {
		return fmt.Errorf("ledger leaf %d: %w", n, err)
	}
	return tx.insertHashes(tlog.StoredHashIndex(0, n), hashes)
}

// ledgerSize returns the number of leaves, first computing the stored
// hashes of leaves the migration adopted from an older trail. It fails
// (and so does the write) when the stored hashes do not fit the leaves.
func (tx *Tx) ledgerSize() (int64, error) {
	var leaves, hashes int64
	err := tx.queryRow(`SELECT (SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_leaves), (SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_hashes)`).Scan(&leaves, &hashes)
	if err != nil {
		return 0, fmt.Errorf("ledger size: %w", err)
	}
	switch want := tlog.StoredHashCount(leaves); {
	case hashes == want:
		return leaves, nil
	case hashes == 0:
		return leaves, tx.hashAdoptedLeaves(leaves)
	default:
		return 0, fmt.Errorf("the ledger has %d leaves but %d stored hashes (want %d): it is damaged; run `assay verify`", leaves, hashes, want)
	}
}

// hashAdoptedLeaves computes and stores the hashes of the first n leaves,
// which the migration made from entries written before the ledger.
func (tx *Tx) hashAdoptedLeaves(n int64) error {
	rows, err := tx.query(leafRowsQuery)
	if err != nil {
		return fmt.Errorf("read adopted leaves: %w", err)
	}
	tree := &ledger.MemoryTree{}
	err = scanLeafRows(rows, func(l ledger.LeafRow) error {
		if l.Index != tree.N || !l.Found {
			return fmt.Errorf("adopted ledger leaf %d does not fit the activity trail", l.Index)
		}
		_, err := tree.Append(l.Entry.Hash())
		return err
	})
	if err != nil {
		return err
	}
	if tree.N != n {
		return fmt.Errorf("adopted %d ledger leaves, want %d", tree.N, n)
	}
	return tx.insertHashes(0, tree.Hashes)
}

// insertHashes writes stored hashes from index first on, many per statement.
func (tx *Tx) insertHashes(first int64, hashes []tlog.Hash) error {
	const batch = 200
	for len(hashes) > 0 {
		k := min(len(hashes), batch)
		args := make([]any, 0, 2*k)
		for i, h := range hashes[:k] {
			args = append(args, first+int64(i), h[:])
		}
		q := `INSERT INTO ledger_hashes (idx, hash) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", k), ", ")
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("ledger hashes from %d: %w", first, err)
		}
		first += int64(k)
		hashes = hashes[k:]
	}
	return nil
}

// hashReader reads stored hashes through a transaction or the read pool.
type hashReader struct {
	ctx context.Context
	db  *DB
	q   querier
}

func (r hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return []tlog.Hash{}, nil
	}
	args := make([]any, len(indexes))
	for i, x := range indexes {
		args[i] = x
	}
	rows, err := r.q.QueryContext(r.ctx, r.db.q(`SELECT idx, hash FROM ledger_hashes WHERE idx IN (`+placeholders(len(indexes))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("read ledger hashes: %w", err)
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(indexes))
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, fmt.Errorf("read ledger hashes: %w", err)
		}
		if len(h) != tlog.HashSize {
			return nil, fmt.Errorf("stored hash %d is %d bytes", idx, len(h))
		}
		got[idx] = tlog.Hash(h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read ledger hashes: %w", err)
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("stored hash %d is missing from the ledger", x)
		}
		out[i] = h
	}
	return out, nil
}

// leafRowsQuery reads every leaf, in order, with the live activity row it
// points at (NULLs when the row is gone).
const leafRowsQuery = `SELECT l.idx, l.seq, a.seq, a.org_id, a.at, a.actor_user_id, a.actor_name, a.actor_via, a.action,
	a.object_type, a.object_id, a.summary, a.before_json, a.after_json
	FROM ledger_leaves l LEFT JOIN activity a ON a.seq = l.seq ORDER BY l.idx`

// scanLeafRows reads leafRowsQuery's rows into fn and closes them.
func scanLeafRows(rows *sql.Rows, fn func(ledger.LeafRow) error) error {
	defer rows.Close()
	var (
		l                                                       ledger.LeafRow
		seq, org, uid                                           sql.NullInt64
		at, name, via, action, otype, oid, summary, before, aft sql.NullString
	)
	for rows.Next() {
		if err := rows.Scan(&l.Index, &l.Seq, &seq, &org, &at, &uid, &name, &via, &action, &otype, &oid, &summary, &before, &aft); err != nil {
			return fmt.Errorf("read ledger leaves: %w", err)
		}
		l.Found = seq.Valid
		l.Entry = ledger.Entry{Index: l.Index, Seq: l.Seq, OrgID: org.Int64, At: at.String, ActorUserID: uid,
			ActorName: name.String, ActorVia: via.String, Action: action.String, ObjectType: otype.String,
			ObjectID: oid.String, Summary: summary.String, Before: nullBytes(before), After: nullBytes(aft)}
		if err := fn(l); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read ledger leaves: %w", err)
	}
	return nil
}

func nullBytes(s sql.NullString) []byte {
	if !s.Valid {
		return nil
	}
	return []byte(s.String)
}
