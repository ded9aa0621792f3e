package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// TrainingCompletionsAppendOnly checks that completion evidence refuses
// changes made behind the store's back: raw is a plain connection to the
// same database as s; extra are more statements the backend must refuse.
func TrainingCompletionsAppendOnly(t *testing.T, s store.Store, raw *sql.DB, extra ...string) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Evidence", "evidence", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	os := s.Org(org.ID)
	if _, err := os.CreatePerson(ctx, Actor, assay.NewPerson{Name: "Ada", Email: "ada@evidence.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.CreateCourse(ctx, Actor, assay.NewCourse{Name: "Security awareness", Security: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.ImportCompletions(ctx, Actor, []assay.TrainingCompletion{{Email: "ada@evidence.example", Course: "Security awareness",
		CompletedAt: Epoch.AddDate(0, -1, 0)}}); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM training_completions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count() != 1 {
		t.Fatalf("completions = %d, want 1", count())
	}
	for _, stmt := range append([]string{`UPDATE training_completions SET completed_at = '2020-01-01T00:00:00.000000Z'`,
		`DELETE FROM training_completions`}, extra...) {
		if _, err := raw.Exec(stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	var at string
	if err := raw.QueryRow(`SELECT completed_at FROM training_completions`).Scan(&at); err != nil || count() != 1 || at == "2020-01-01T00:00:00.000000Z" {
		t.Fatalf("completion evidence changed: %q %v", at, err)
	}
}
