package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// TestLedgerMigrationAdoptsOldTrail upgrades a database written before the
// ledger: its entries become the first leaves.
func TestLedgerMigrationAdoptsOldTrail(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "assay.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	storetest.WriteOldTrail(t, raw)
	s, err := Open(ctx, path, sqlstore.Config{Clock: &assay.FixedClock{T: storetest.Epoch}, Criteria: storetest.Criteria()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.LedgerAdoptsOldTrail(t, s)
}
