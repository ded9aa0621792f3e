package postgres_test

import (
	"database/sql"
	"testing"

	"github.com/assay-platform/assay/store/storetest"
)

func rawConn(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// TestLedgerIsAppendOnly tampers with the ledger's tables through a plain
// connection to the same database.
func TestLedgerIsAppendOnly(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	storetest.LedgerAppendOnly(t, s, rawConn(t, dsn),
		`TRUNCATE ledger_leaves`, `TRUNCATE ledger_hashes`, `TRUNCATE ledger_checkpoints`, `TRUNCATE activity CASCADE`)
}

// TestLedgerFailsClosed makes ledger writes fail with triggers and checks
// that no change gets through without its ledger entry.
func TestLedgerFailsClosed(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	fault := func(table string) storetest.LedgerFault {
		return storetest.LedgerFault{Name: "no insert into " + table,
			Break: []string{
				`CREATE FUNCTION ledger_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected ledger fault'; END; $$`,
				`CREATE TRIGGER ledger_fault BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION ledger_fault()`,
			},
			Repair: []string{`DROP TRIGGER ledger_fault ON ` + table, `DROP FUNCTION ledger_fault`}}
	}
	storetest.LedgerFailsClosed(t, s, rawConn(t, dsn), fault("ledger_leaves"), fault("ledger_hashes"))
}

// TestAuditReportTampering changes the report package's rows through a
// plain connection to the same database.
func TestAuditReportTampering(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	storetest.AuditReportTampering(t, s, rawConn(t, dsn))
}

// TestRunDigestVersions: a version 1 run (rewritten as an old row through
// a plain connection) and a version 2 run both verify.
func TestRunDigestVersions(t *testing.T) {
	dsn := database(t)
	s := open(t, dsn, config())
	defer s.Close()
	storetest.RunDigestVersions(t, s, rawConn(t, dsn))
}
