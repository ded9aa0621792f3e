// Package sqlstore is the SQL both store adapters share. The SQLite and
// PostgreSQL adapters open the database, run their own migrations and hand
// a Dialect here; every query below is written once, with ? placeholders,
// and rebound for the backend.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Dialect is what differs between backends.
type Dialect interface {
	Name() string
	// Numbered reports whether placeholders are $1, $2 (PostgreSQL) rather than ?.
	Numbered() bool
	// MapError turns a driver error into an *assay.Error where it has a
	// meaning for people (a unique violation is a conflict), else returns it.
	MapError(err error) error
	// LockLedger serialises writers of the activity table inside tx, so that
	// sequence order is commit order (a no-op where there is one writer).
	LockLedger(ctx context.Context, tx *sql.Tx) error
	// Binary is the COLLATE clause that orders text by bytes, so lists sort
	// the same on both backends whatever the database's locale.
	Binary() string
}

// Config is what the shared store needs from its caller.
type Config struct {
	Clock    assay.Clock
	Criteria []assay.Criterion // the catalog's criteria, to validate mappings and filter by category
}

// DB implements store.Store over database/sql.
type DB struct {
	read    *sql.DB // readers (SQLite: a pool of read connections)
	write   *sql.DB // the writer (SQLite: one connection; PostgreSQL: same pool as read)
	dialect Dialect
	clock   assay.Clock

	criteria   map[string]assay.Criterion
	byCategory map[string][]string

	queries    sync.Map        // rebound query cache
	notPassing notPassingCache // NotPassingChecks' last summary per organisation
	majors     majorsCache     // AcceptedMajors' last answer per organisation
	closers    []func() error
}

var _ store.Store = (*DB)(nil)

// New returns a store over read and write pools.
func New(read, write *sql.DB, d Dialect, cfg Config) *DB {
	if cfg.Clock == nil {
		cfg.Clock = assay.SystemClock{}
	}
	db := &DB{read: read, write: write, dialect: d, clock: cfg.Clock,
		criteria: map[string]assay.Criterion{}, byCategory: map[string][]string{}}
	for _, c := range cfg.Criteria {
		db.criteria[c.ID] = c
		db.byCategory[c.Category] = append(db.byCategory[c.Category], c.ID)
	}
	return db
}

// OnClose registers a function to run when the store is closed.
func (db *DB) OnClose(f func() error) { db.closers = append(db.closers, f) }

// Close closes the pools.
func (db *DB) Close() error {
	var errs []error
	if db.write != db.read {
		errs = append(errs, db.write.Close())
	}
	errs = append(errs, db.read.Close())
	for _, f := range db.closers {
		errs = append(errs, f())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect.Name(), err)
	}
	return nil
}

// Dialect returns the backend's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// q rebinds a query written with ? placeholders for the backend.
func (db *DB) q(query string) string {
	if !db.dialect.Numbered() {
		return query
	}
	if v, ok := db.queries.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	out := b.String()
	db.queries.Store(query, out)
	return out
}

// Tx is a write transaction: one change and its activity entries.
type Tx struct {
	*sql.Tx
	db  *DB
	ctx context.Context
	now time.Time
}

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(tx.ctx, tx.db.q(query), args...)
}

func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	return tx.QueryRowContext(tx.ctx, tx.db.q(query), args...)
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(tx.ctx, tx.db.q(query), args...)
}

// update runs fn in one write transaction and commits it. Errors are mapped
// through the dialect; nothing is written when fn fails.
func (db *DB) update(ctx context.Context, fn func(tx *Tx) error) error {
	sqltx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", db.dialect.MapError(err))
	}
	// Writers are serialised before they read, so the "before" each change
	// records is the state it replaced, and audit-trail order is commit order.
	if err := db.dialect.LockLedger(ctx, sqltx); err != nil {
		_ = sqltx.Rollback()
		return fmt.Errorf("lock writers: %w", db.dialect.MapError(err))
	}
	// now is kept at the precision the database stores, so what a write
	// returns is what a later read gives.
	tx := &Tx{Tx: sqltx, db: db, ctx: ctx, now: db.clock.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(tx); err != nil {
		_ = sqltx.Rollback()
		return db.dialect.MapError(err)
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", db.dialect.MapError(err))
	}
	return nil
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.read.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, db.dialect.MapError(err)
	}
	return rows, nil
}

// Times are stored as fixed-width UTC text, so they sort as text and read
// the same on both backends.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

func parseTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// escapeLike escapes the LIKE wildcards in s (with \ as the escape).
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Conflict wraps a driver's constraint error as an ECONFLICT *assay.Error,
// keeping the driver error in the chain for logs.
func Conflict(message string, cause error) error {
	return &mappedError{err: assay.Errorf(assay.ECONFLICT, "%s", message), cause: cause}
}

type mappedError struct {
	err   *assay.Error
	cause error
}

func (m *mappedError) Error() string   { return m.err.Message + ": " + m.cause.Error() }
func (m *mappedError) Unwrap() []error { return []error{m.err, m.cause} }

// requireOrg fails with ENOTFOUND when the organisation does not exist.
func (tx *Tx) requireOrg(orgID int64) error {
	var one int
	err := tx.queryRow(`SELECT 1 FROM organizations WHERE id = ?`, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.Errorf(assay.ENOTFOUND, "Organisation not found.")
	} else if err != nil {
		return fmt.Errorf("organisation %d: %w", orgID, err)
	}
	return nil
}
