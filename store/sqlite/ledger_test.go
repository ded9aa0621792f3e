package sqlite_test

import (
	"database/sql"
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

func rawConn(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// TestLedgerIsAppendOnly tampers with the ledger's tables through a plain
// connection to the same file.
func TestLedgerIsAppendOnly(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	storetest.LedgerAppendOnly(t, s, rawConn(t, path),
		`INSERT OR REPLACE INTO ledger_leaves (idx, seq) VALUES (0, (SELECT MIN(seq) FROM activity))`,
		`INSERT OR REPLACE INTO ledger_hashes (idx, hash) VALUES (0, zeroblob(32))`,
		`INSERT OR REPLACE INTO ledger_checkpoints (tree_size, prev_size, root_hash, note_text, created_at)
			SELECT tree_size, prev_size, root_hash, 'forged', created_at FROM ledger_checkpoints`)
}

// TestLedgerFailsClosed makes ledger writes fail with triggers and checks
// that no change gets through without its ledger entry.
func TestLedgerFailsClosed(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	fault := func(table string) storetest.LedgerFault {
		return storetest.LedgerFault{Name: "no insert into " + table,
			Break:  []string{`CREATE TRIGGER ledger_fault BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'injected ledger fault'); END`},
			Repair: []string{`DROP TRIGGER ledger_fault`}}
	}
	storetest.LedgerFailsClosed(t, s, rawConn(t, path), fault("ledger_leaves"), fault("ledger_hashes"))
}

// TestAuditReportTampering changes the report package's rows through a
// plain connection to the same file.
func TestAuditReportTampering(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	storetest.AuditReportTampering(t, s, rawConn(t, path))
}

// TestRunDigestVersions: a version 1 run (rewritten as an old row through
// a plain connection) and a version 2 run both verify.
func TestRunDigestVersions(t *testing.T) {
	path := fresh(t)
	s := open(t, path, config())
	defer s.Close()
	storetest.RunDigestVersions(t, s, rawConn(t, path))
}
