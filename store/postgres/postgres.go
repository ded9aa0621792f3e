// Package postgres is the store for installations that outgrow one
// machine: PostgreSQL through pgx.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/assay-platform/assay/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ledgerLockKey is the advisory lock that orders activity writers.
const ledgerLockKey = 0x41535341 // "ASSA"

// Open connects to the database at url (postgres://...), migrates it and
// returns the store.
func Open(ctx context.Context, url string, cfg sqlstore.Config) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s := sqlstore.New(db, db, dialect{}, cfg)
	if err := s.BuildMonitorFailing(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return s, nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	// A session lock keeps two servers starting together from migrating twice.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("postgres: migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithDisableGlobalRegistry(true), goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

type dialect struct{}

func (dialect) Name() string   { return "postgres" }
func (dialect) Numbered() bool { return true }

func (dialect) LockLedger(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(ledgerLockKey))
	return err
}

func (dialect) Binary() string { return `COLLATE "C"` }

func (dialect) MapError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return sqlstore.Conflict("That already exists.", err)
		case "23503":
			return sqlstore.Conflict("That refers to something that does not exist or is still in use.", err)
		}
	}
	return err
}
