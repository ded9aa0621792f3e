package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// benchOrg opens a fresh database holding one organisation with n controls
// (the library, then custom ones), every category in scope.
func benchOrg(b *testing.B, n int) (store.OrgStore, []assay.Criterion, store.Store) {
	b.Helper()
	cat := catalog.MustDefault()
	criteria := cat.DomainCriteria()
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlstore.Config{Criteria: criteria})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	controls := cat.LibraryControls()
	for i := len(controls); i < n; i++ {
		c := assay.NewCustomControl(fmt.Sprintf("CUS-%04d", i), fmt.Sprintf("Custom control %d", i), "A control an organisation wrote itself.",
			[]string{criteria[i%61].ID, criteria[(i*7)%61].ID})
		c.Status = assay.ControlStatuses[i%3]
		controls = append(controls, c)
	}
	org, err := db.CreateOrganization(context.Background(), assay.SystemActor, "Bench", "bench", assay.Scope{Categories: assay.Categories}, controls[:n])
	if err != nil {
		b.Fatal(err)
	}
	return db.Org(org.ID), criteria, db
}

// BenchmarkReadinessFromStore1000: load 1,000 controls from SQLite and
// compute readiness, as GET /api/v1/readiness does.
func BenchmarkReadinessFromStore1000(b *testing.B) {
	os, criteria, db := benchOrg(b, 1000)
	ctx := context.Background()
	services, err := app.New(app.Config{Store: db, Clock: assay.SystemClock{}, Criteria: criteria, Checks: catalog.LibraryCheckList})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		v, err := services.OrgReadiness(ctx, os)
		if err != nil || v.Readiness.Overall.Total != 61 {
			b.Fatal(err, v.Readiness.Overall)
		}
	}
}

// BenchmarkControlSearch: the text search behind "filter as you type".
func BenchmarkControlSearch1000(b *testing.B) {
	os, _, _ := benchOrg(b, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := os.Controls(ctx, assay.ControlFilter{Query: "access"}); err != nil {
			b.Fatal(err)
		}
	}
}
