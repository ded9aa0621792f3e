package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// The store benchmarks (storetest/bench.go) on SQLite; store/postgres runs
// the same ones on PostgreSQL.

func benchDB(b *testing.B) *sqlstore.DB {
	b.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlstore.Config{Criteria: catalog.MustDefault().DomainCriteria()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkReadinessFromStore1000: load 1,000 controls and compute
// readiness, as GET /api/v1/readiness does.
func BenchmarkReadinessFromStore1000(b *testing.B) {
	db := benchDB(b)
	storetest.BenchReadiness(b, db, storetest.BenchOrg(b, db, 1000))
}

// BenchmarkReadinessPeople1000: readiness of 500 controls, 1,000 people
// and eight policies they mostly accepted.
func BenchmarkReadinessPeople1000(b *testing.B) {
	db := benchDB(b)
	os := storetest.BenchOrg(b, db, 500)
	storetest.BenchPeopleOrg(b, db, os, 1000)
	storetest.BenchReadiness(b, db, os)
}

// BenchmarkControlSearch1000: the text search behind "filter as you type".
func BenchmarkControlSearch1000(b *testing.B) {
	db := benchDB(b)
	storetest.BenchControlSearch(b, storetest.BenchOrg(b, db, 1000))
}

// BenchmarkAvailabilityYear100: what a year of 60-second probes of 100
// services leaves on disk, and the one-year uptime query.
func BenchmarkAvailabilityYear100(b *testing.B) {
	storetest.BenchAvailabilityYear(b, benchDB(b), 100)
}

// BenchmarkRecordProbe: one probe result recorded.
func BenchmarkRecordProbe(b *testing.B) {
	storetest.BenchRecordProbe(b, benchDB(b))
}
