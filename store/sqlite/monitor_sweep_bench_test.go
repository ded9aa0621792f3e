package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// BenchmarkSweepAndRecord is the whole figure (see
// storetest.BenchSweepAndRecord) on a real SQLite file; store/postgres
// runs the same.
//
//	go test ./store/sqlite -run '^$' -bench SweepAndRecord -benchtime 3x
func BenchmarkSweepAndRecord(b *testing.B) {
	for _, c := range []struct {
		name  string
		kinds int
	}{{"by-kind", 10}, {"all-apply", 1}} {
		b.Run(c.name, func(b *testing.B) {
			db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "sweep.db"), sqlstore.Config{Criteria: storetest.Criteria()})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			storetest.BenchSweepAndRecord(b, db, c.kinds)
		})
	}
}
