package export_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/export"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
	"github.com/assay-platform/assay/store/storetest"
)

// world is an organisation with history, evidence files and a signed
// checkpoint, on a real store.
type world struct {
	t     *testing.T
	ctx   context.Context
	clock *assay.FixedClock
	db    *sqlstore.DB
	org   store.OrgStore
	blobs *evidence.FS
	key   *ledger.Key
	files map[string][]byte // evidence title -> content
}

var actor = assay.Actor{Name: "Test Admin", Via: "cli"}

// backends runs fn on SQLite and, when ASSAY_TEST_POSTGRES is set, on
// PostgreSQL.
func backends(t *testing.T, fn func(t *testing.T, open func(cfg sqlstore.Config) *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(cfg sqlstore.Config) *sqlstore.DB {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "assay.db"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("ASSAY_TEST_POSTGRES")
		if base == "" {
			t.Skip("ASSAY_TEST_POSTGRES is not set")
		}
		fn(t, func(cfg sqlstore.Config) *sqlstore.DB {
			admin, err := sql.Open("pgx", base)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { admin.Close() })
			var b [6]byte
			rand.Read(b[:])
			name := "assay_export_" + hex.EncodeToString(b[:])
			if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(base)
			q := u.Query()
			q.Set("search_path", name)
			u.RawQuery = q.Encode()
			db, err := postgres.Open(context.Background(), u.String(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				db.Close()
				admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
			})
			return db
		})
	})
}

// newWorld builds the history: the library adopted on 2026-01-05; AC-01
// implemented on 2026-01-10 with two files; AC-02 implemented on
// 2026-01-10, in progress from 2026-03-01 and implemented again on
// 2026-03-15, with a note; GV-01 implemented without evidence; OP-01 not
// applicable. The period is 2026-02-01 to 2026-04-30.
func newWorld(t *testing.T, open func(cfg sqlstore.Config) *sqlstore.DB) *world {
	w := &world{t: t, ctx: context.Background(), clock: &assay.FixedClock{T: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}, files: map[string][]byte{}}
	w.db = open(sqlstore.Config{Clock: w.clock, Criteria: storetest.Criteria()})
	org, err := w.db.CreateOrganization(w.ctx, actor, "Northwind Test", "northwind", assay.Scope{Categories: []string{assay.CategorySecurity}}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	w.org = w.db.Org(org.ID)
	if w.blobs, err = evidence.Open(filepath.Join(t.TempDir(), "blobs")); err != nil {
		t.Fatal(err)
	}
	if w.key, _, err = ledger.NewKey(); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC))
	w.status("AC-01", assay.StatusImplemented, "")
	w.status("AC-02", assay.StatusImplemented, "")
	w.status("GV-01", assay.StatusImplemented, "")
	w.status("OP-01", assay.StatusNotApplicable, "No change process in scope.")
	w.file("Access review Q1", "access-review q1.csv", []byte("user,access\nalice,prod\n"), "AC-01")
	w.file("Production access list", "prod/access.txt", bytes.Repeat([]byte("line of access\n"), 1000), "AC-01", "AC-02")
	if _, err := w.org.CreateEvidence(w.ctx, actor, assay.NewEvidence{Kind: assay.EvidenceNote, Title: "MFA enforced", NoteText: "MFA is enforced in the IdP.", Controls: []string{"AC-02"}}); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	w.status("AC-02", assay.StatusInProgress, "")
	w.clock.Set(time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC))
	w.status("AC-02", assay.StatusImplemented, "")
	w.clock.Set(time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC))
	return w
}

func (w *world) status(id string, s assay.ControlStatus, why string) {
	p := assay.ControlPatch{Status: &s}
	if why != "" {
		p.Justification = &why
	}
	if _, err := w.org.UpdateControl(w.ctx, actor, id, p); err != nil {
		w.t.Fatalf("%s: %v", id, err)
	}
}

func (w *world) file(title, name string, content []byte, controls ...string) assay.Evidence {
	b, err := w.blobs.Put(bytes.NewReader(content), 1<<30)
	if err != nil {
		w.t.Fatal(err)
	}
	e, err := w.org.CreateEvidence(w.ctx, actor, assay.NewEvidence{Kind: assay.EvidenceFile, Title: title, SHA256: b.SHA256, Size: b.Size,
		Filename: name, MediaType: "text/plain", Controls: controls})
	if err != nil {
		w.t.Fatal(err)
	}
	w.files[title] = content
	return e
}

func (w *world) period() export.Period {
	return export.Period{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)}
}

// data loads the export's data with a fresh checkpoint.
func (w *world) data() (*export.Data, ledger.Checkpoint) {
	w.t.Helper()
	cp, _, err := w.db.AppendCheckpoint(w.ctx, w.key.Sign)
	if err != nil {
		w.t.Fatal(err)
	}
	checks, err := w.org.CustomChecks(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	d, err := export.Load(w.ctx, w.org, storetest.Criteria(), checks, w.period(), w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	d.Checkpoint = &cp
	return d, cp
}

func (w *world) bundle() []byte {
	w.t.Helper()
	d, cp := w.data()
	var buf bytes.Buffer
	err := export.WriteBundle(w.ctx, &buf, d, export.BundleSource{
		OpenBlob: func(digest string, size int64) (io.ReadCloser, error) { return w.blobs.Open(digest, size) },
		Proof:    w.org.LedgerProof, Checkpoint: cp, PublicKey: w.key.VerifierKey})
	if err != nil {
		w.t.Fatal(err)
	}
	return buf.Bytes()
}

func ledgerRecordHash(leaf string) tlog.Hash { return tlog.RecordHash([]byte(leaf)) }
