package postgres_test

import (
	"database/sql"
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

// TestEvidenceIsImmutable tampers with evidence rows through a plain
// connection to the same database.
func TestEvidenceIsImmutable(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.EvidenceImmutable(t, s, raw)
	for _, stmt := range []string{`TRUNCATE evidence_items CASCADE`, `DELETE FROM evidence_items`} {
		if _, err := raw.Exec(stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
}
