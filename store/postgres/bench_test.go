package postgres_test

import (
	"context"
	"testing"

	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
	"github.com/assay-platform/assay/store/storetest/pgtest"
)

// The store benchmarks (storetest/bench.go) on PostgreSQL
// (ASSAY_TEST_POSTGRES), the same ones store/sqlite runs.

func benchDB(b *testing.B) *sqlstore.DB {
	b.Helper()
	db, err := postgres.Open(context.Background(), pgtest.Database(b), sqlstore.Config{Criteria: catalog.MustDefault().DomainCriteria()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkReadinessFromStore1000(b *testing.B) {
	db := benchDB(b)
	storetest.BenchReadiness(b, db, storetest.BenchOrg(b, db, 1000))
}

func BenchmarkReadinessPeople1000(b *testing.B) {
	db := benchDB(b)
	os := storetest.BenchOrg(b, db, 500)
	storetest.BenchPeopleOrg(b, db, os, 1000)
	storetest.BenchReadiness(b, db, os)
}

func BenchmarkControlSearch1000(b *testing.B) {
	db := benchDB(b)
	storetest.BenchControlSearch(b, storetest.BenchOrg(b, db, 1000))
}

func BenchmarkAvailabilityYear100(b *testing.B) {
	storetest.BenchAvailabilityYear(b, benchDB(b), 100)
}

func BenchmarkRecordProbe(b *testing.B) {
	storetest.BenchRecordProbe(b, benchDB(b))
}

// BenchmarkSweepAndRecord: storetest.BenchSweepAndRecord, 100,000
// resources by 100 checks evaluated and persisted.
func BenchmarkSweepAndRecord(b *testing.B) {
	b.Run("by-kind", func(b *testing.B) { storetest.BenchSweepAndRecord(b, benchDB(b), 10) })
	b.Run("all-apply", func(b *testing.B) { storetest.BenchSweepAndRecord(b, benchDB(b), 1) })
}
