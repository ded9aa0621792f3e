package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/assay-platform/assay/ledger"
)

// LedgerSnapshot runs fn inside one read-only transaction (repeatable read
// on PostgreSQL; a WAL snapshot on SQLite), so Verify sees one moment even
// while writers go on.
func (db *DB) LedgerSnapshot(ctx context.Context, fn func(ledger.Snapshot) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer tx.Rollback()
	return fn(&snapshot{db: db, tx: tx})
}

type snapshot struct {
	db *DB
	tx *sql.Tx
}

func (s *snapshot) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.tx.QueryContext(ctx, s.db.q(q), args...)
}

func (s *snapshot) Leaves(ctx context.Context, fn func(ledger.LeafRow) error) error {
	rows, err := s.query(ctx, leafRowsQuery)
	if err != nil {
		return fmt.Errorf("read ledger leaves: %w", err)
	}
	return scanLeafRows(rows, fn)
}

func (s *snapshot) Hashes(ctx context.Context, fn func(int64, []byte) error) error {
	rows, err := s.query(ctx, `SELECT idx, hash FROM ledger_hashes ORDER BY idx`)
	if err != nil {
		return fmt.Errorf("read ledger hashes: %w", err)
	}
	defer rows.Close()
	var idx int64
	var h sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&idx, &h); err != nil {
			return fmt.Errorf("read ledger hashes: %w", err)
		}
		if err := fn(idx, h); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *snapshot) ActivityCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity`).Scan(&n)
	return n, err
}

func (s *snapshot) FirstUnledgered(ctx context.Context) (int64, bool, error) {
	var seq sql.NullInt64
	err := s.tx.QueryRowContext(ctx, `SELECT MIN(a.seq) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.seq = a.seq)`).Scan(&seq)
	return seq.Int64, seq.Valid, err
}

func (s *snapshot) Checkpoints(ctx context.Context) ([]ledger.StoredCheckpoint, error) {
	rows, err := s.query(ctx, `SELECT `+checkpointColumns+` FROM ledger_checkpoints ORDER BY tree_size`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.StoredCheckpoint
	for rows.Next() {
		var c ledger.StoredCheckpoint
		if err := rows.Scan(&c.Size, &c.PrevSize, &c.Root, &c.Note, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// State reads every organisation, control, user and API token.
func (s *snapshot) State(ctx context.Context) (ledger.LiveState, error) {
	var st ledger.LiveState
	rows, err := s.query(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY id`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			rows.Close()
			return st, err
		}
		st.Organizations = append(st.Organizations, o)
	}
	if err := closeRows(rows); err != nil {
		return st, err
	}

	rows, err = s.query(ctx, `SELECT c.org_id, `+controlColumns+controlFrom+` ORDER BY c.org_id, c.id `+s.db.dialect.Binary())
	if err != nil {
		return st, err
	}
	idx := map[controlKey]int{}
	for rows.Next() {
		var lc ledger.LiveControl
		lc.Control, err = scanControl(prefixed{rows, []any{&lc.OrgID}})
		if err != nil {
			rows.Close()
			return st, err
		}
		idx[controlKey{lc.OrgID, lc.Control.ID}] = len(st.Controls)
		st.Controls = append(st.Controls, lc)
	}
	if err := closeRows(rows); err != nil {
		return st, err
	}
	rows, err = s.query(ctx, `SELECT org_id, control_id, criterion_id FROM control_criteria`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var org int64
		var cid, crit string
		if err := rows.Scan(&org, &cid, &crit); err != nil {
			rows.Close()
			return st, err
		}
		i, ok := idx[controlKey{org, cid}]
		if !ok {
			rows.Close()
			return st, &ledger.Mismatch{Sentence: fmt.Sprintf("Criterion mapping %s points at control %s of organisation %d, which is not in the database: the control was deleted, or the mapping added, behind Assay's back.", crit, cid, org)}
		}
		st.Controls[i].Control.Criteria = append(st.Controls[i].Control.Criteria, crit)
	}
	if err := closeRows(rows); err != nil {
		return st, err
	}

	rows, err = s.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY id`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return st, err
		}
		st.Users = append(st.Users, u)
	}
	if err := closeRows(rows); err != nil {
		return st, err
	}

	rows, err = s.query(ctx, `SELECT id, org_id, user_id, name, prefix, created_at, expires_at, revoked_at FROM api_tokens ORDER BY id`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var t ledger.LiveToken
		var created string
		var exp, rev sql.NullString
		if err := rows.Scan(&t.Token.ID, &t.OrgID, &t.Token.UserID, &t.Token.Name, &t.Token.Prefix, &created, &exp, &rev); err != nil {
			rows.Close()
			return st, err
		}
		if t.Token.CreatedAt, err = parseTime(created); err == nil {
			if t.Token.ExpiresAt, err = parseTimePtr(exp); err == nil {
				t.RevokedAt, err = parseTimePtr(rev)
			}
		}
		if err != nil {
			rows.Close()
			return st, err
		}
		st.APITokens = append(st.APITokens, t)
	}
	if err := closeRows(rows); err != nil {
		return st, err
	}
	if err := s.auditState(ctx, &st); err != nil { // audit_ledger.go
		return st, err
	}
	return st, s.auditReportState(ctx, &st) // audit_report_ledger.go
}

// EvidenceDigests lists the digests evidence items point at, when the
// evidence table exists.
func (s *snapshot) EvidenceDigests(ctx context.Context) ([]string, bool, error) {
	var exists bool
	var err error
	if s.db.dialect.Numbered() { // PostgreSQL: in the connection's search path
		err = s.tx.QueryRowContext(ctx, `SELECT to_regclass('evidence_items') IS NOT NULL`).Scan(&exists)
	} else {
		var n int
		err = s.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'evidence_items'`).Scan(&n)
		exists = n > 0
	}
	if err != nil || !exists {
		return nil, false, err
	}
	rows, err := s.query(ctx, `SELECT DISTINCT sha256 FROM evidence_items WHERE sha256 IS NOT NULL`)
	if err != nil {
		return nil, true, err
	}
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return nil, true, err
		}
		out = append(out, d)
	}
	return out, true, closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	return errors.Join(err, rows.Close())
}

// prefixed scans some leading columns into pre before handing the rest to
// a scanner written for the rows without them.
type prefixed struct {
	row interface{ Scan(...any) error }
	pre []any
}

func (p prefixed) Scan(dest ...any) error { return p.row.Scan(append(p.pre, dest...)...) }

type controlKey struct {
	org int64
	id  string
}
