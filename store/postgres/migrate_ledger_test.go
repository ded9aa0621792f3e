package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// TestLedgerMigrationAdoptsOldTrail upgrades a database written before the
// ledger: its entries become the first leaves.
func TestLedgerMigrationAdoptsOldTrail(t *testing.T) {
	base := os.Getenv("ASSAY_TEST_POSTGRES")
	if base == "" {
		t.Skip("ASSAY_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("assay_test_adopt_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()

	raw, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectPostgres, raw, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	storetest.WriteOldTrail(t, raw)
	// The identity column did not see the explicit organisation id.
	if _, err := raw.Exec(`SELECT setval(pg_get_serial_sequence('organizations', 'id'), 1)`); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, u.String(), sqlstore.Config{Clock: &assay.FixedClock{T: storetest.Epoch}, Criteria: storetest.Criteria()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.LedgerAdoptsOldTrail(t, s)
}
