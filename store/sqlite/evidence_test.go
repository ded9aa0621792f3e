package sqlite_test

import (
	"database/sql"
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

// TestEvidenceIsImmutable tampers with evidence rows through a plain
// connection to the same file.
func TestEvidenceIsImmutable(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	storetest.EvidenceImmutable(t, s, raw)
	if _, err := raw.Exec(`INSERT OR REPLACE INTO evidence_items (id, org_id, kind, title, valid_days, expires_at, collected_at, created_by_name, created_at)
		SELECT id, org_id, 'note', 'forged', 1, expires_at, collected_at, 'x', created_at FROM evidence_items LIMIT 1`); err == nil {
		t.Error("INSERT OR REPLACE over an evidence row succeeded")
	}
}
