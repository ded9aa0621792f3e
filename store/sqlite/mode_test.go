//go:build unix

package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// The database and everything SQLite keeps beside it, the backup, the
// ledger's key and the secrets key are readable by their owner alone,
// even in a folder open to everyone and under a umask that takes nothing
// away. (Not parallel: the umask is the process's.)
func TestDataFilesAreOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "assay.db")
	db, err := sqlite.Open(context.Background(), path, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := sqlite.Backup(context.Background(), path, filepath.Join(dir, "backup.db")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.LoadOrCreateKey(dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := secret.Load(dir, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"assay.db", "assay.db-wal", "assay.db-shm", "backup.db", ledger.KeyFile, secret.KeyFile} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, st.Mode().Perm())
		}
	}
}

// A database an older version left readable by others is narrowed when
// it is opened.
func TestOpenNarrowsAnOpenDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "assay.db")
	db, err := sqlite.Open(context.Background(), path, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(context.Background(), path, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after opening, want 0600", st.Mode().Perm())
	}
}
