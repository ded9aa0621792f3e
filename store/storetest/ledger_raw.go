package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

// The tests below need a plain connection to the database next to the
// store, so each adapter's own tests call them (as with AppendOnly).

// verifyStore runs ledger.Verify on s and returns its error.
func verifyStore(ctx context.Context, s store.Store, opts ledger.Options) (ledger.Report, error) {
	var rep ledger.Report
	err := s.LedgerSnapshot(ctx, func(snap ledger.Snapshot) error {
		var err error
		rep, err = ledger.Verify(ctx, snap, opts)
		return err
	})
	return rep, err
}

// LedgerAppendOnly checks that the ledger's tables refuse changes made
// behind the store's back: every statement must fail, the ledger must
// still verify, and the store must still append. extra are more statements
// the backend must refuse.
func LedgerAppendOnly(t *testing.T, s store.Store, raw *sql.DB, extra ...string) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Append Only", "append-only", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AppendCheckpoint(ctx, key.Sign); err != nil {
		t.Fatal(err)
	}
	before, err := s.LedgerTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stmts := append([]string{
		`UPDATE ledger_leaves SET seq = seq + 1000`,
		`UPDATE ledger_leaves SET idx = idx + 1000 WHERE idx = 1`,
		`DELETE FROM ledger_leaves WHERE idx = 1`,
		`DELETE FROM ledger_leaves`,
		`INSERT INTO ledger_leaves (idx, seq) VALUES (0, (SELECT MAX(seq) FROM activity))`,
		`UPDATE ledger_hashes SET hash = hash WHERE idx = 0`,
		`DELETE FROM ledger_hashes WHERE idx = 2`,
		`DELETE FROM ledger_hashes`,
		`UPDATE ledger_checkpoints SET note_text = 'forged'`,
		`UPDATE ledger_checkpoints SET prev_size = 1`,
		`DELETE FROM ledger_checkpoints`,
	}, extra...)
	for _, stmt := range stmts {
		if _, err := raw.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: succeeded, want it refused", stmt)
		}
	}
	if after, err := s.LedgerTree(ctx); err != nil || after != before {
		t.Fatalf("tree after tampering attempts = %+v, %v; want %+v", after, err, before)
	}
	if _, err := verifyStore(ctx, s, ledger.Options{Verifier: key.Verifier()}); err != nil {
		t.Fatalf("verify after tampering attempts: %v", err)
	}
	if _, err := s.Org(org.ID).UpdateControl(ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("after tampering")}); err != nil {
		t.Fatalf("update after tampering attempts: %v", err)
	}
	if after, err := s.LedgerTree(ctx); err != nil || after.Size != before.Size+1 {
		t.Fatalf("tree after one more change = %+v, %v", after, err)
	}
}

// LedgerFault is a way to make ledger writes fail: Break runs through the
// plain connection, then Repair undoes it.
type LedgerFault struct {
	Name   string
	Break  []string
	Repair []string
}

// LedgerFailsClosed checks invariant 1: when the ledger cannot be written,
// the change is not made. For each fault, every kind of change fails and
// leaves the organisation, its controls, users and trail, and the tree as
// they were; once repaired, changes go through and the ledger verifies.
func LedgerFailsClosed(t *testing.T, s store.Store, raw *sql.DB, faults ...LedgerFault) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Fail Closed", "fail-closed", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	os := s.Org(org.ID)
	type state struct {
		Org      assay.Organization
		Controls []assay.Control
		Users    []assay.User
		Activity []assay.Activity
		Orgs     []assay.Organization
		Tree     ledger.Tree
	}
	read := func() state {
		t.Helper()
		var st state
		var err error
		if st.Org, err = os.Organization(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Controls, err = os.Controls(ctx, assay.ControlFilter{}); err != nil {
			t.Fatal(err)
		}
		if st.Users, err = os.Users(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Activity, err = os.Activity(ctx, assay.ActivityFilter{Limit: 1000}); err != nil {
			t.Fatal(err)
		}
		if st.Orgs, err = s.Organizations(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Tree, err = s.LedgerTree(ctx); err != nil {
			t.Fatal(err)
		}
		return st
	}
	exec := func(stmts []string) {
		t.Helper()
		for _, q := range stmts {
			if _, err := raw.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	for _, f := range faults {
		before := read()
		exec(f.Break)
		changes := map[string]func() error{
			"update control": func() error {
				_, err := os.UpdateControl(ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("never"), Status: ptr(assay.StatusImplemented)})
				return err
			},
			"create control": func() error {
				_, err := os.CreateControl(ctx, Actor, assay.NewCustomControl("CUS-9", "Never", "", []string{"CC6.1"}))
				return err
			},
			"create user": func() error {
				_, err := os.CreateUser(ctx, Actor, assay.NewUser{Email: "never@example.com", Role: assay.RoleAdmin, Password: "correct horse battery"}, "hash")
				return err
			},
			"update scope": func() error {
				_, err := os.UpdateScope(ctx, Actor, assay.Scope{Categories: []string{"privacy"}})
				return err
			},
			"create organisation": func() error {
				_, err := s.CreateOrganization(ctx, Actor, "Never", "never", assay.Scope{}, LibraryControls())
				return err
			},
		}
		for name, change := range changes {
			if err := change(); err == nil {
				t.Errorf("%s: %s succeeded while ledger writes fail", f.Name, name)
			}
		}
		jsonEq(t, read(), before, f.Name+": state after refused changes")
		exec(f.Repair)
		if _, err := os.UpdateControl(ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("after " + f.Name)}); err != nil {
			t.Fatalf("%s: update after repair: %v", f.Name, err)
		}
	}
	if _, err := verifyStore(ctx, s, ledger.Options{}); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// WriteOldTrail writes, through a plain connection to a database migrated
// only to version 1 (before the ledger), an organisation and three activity
// entries as the store then wrote them.
func WriteOldTrail(t *testing.T, raw *sql.DB) {
	t.Helper()
	at := Epoch.Format(ledger.TimeLayout)
	scope := assay.Scope{Categories: []string{"security"}}
	system := assay.SystemDescription{Subservices: []assay.SubserviceOrg{}}
	org := assay.Organization{ID: 1, Slug: "old", Name: "Old Trail", Scope: scope, System: system, CreatedAt: Epoch, UpdatedAt: Epoch}
	scope2 := assay.Scope{Categories: []string{"security", "privacy"}}
	q := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return "'" + string(b) + "'"
	}
	for _, stmt := range []string{
		`INSERT INTO organizations (id, slug, name, scope_json, system_json, created_at, updated_at) VALUES (1, 'old', 'Old Trail', ` +
			q(scope2) + `, ` + q(system) + `, '` + at + `', '` + at + `')`,
		`INSERT INTO activity (org_id, at, actor_name, actor_via, action, object_type, object_id, summary, after_json)
			VALUES (1, '` + at + `', 'assay', 'system', 'organization.create', 'organization', 'old', 'Created organisation Old Trail', ` + q(org) + `)`,
		`INSERT INTO activity (org_id, at, actor_name, actor_via, action, object_type, object_id, summary, before_json, after_json)
			VALUES (1, '` + at + `', 'assay', 'system', 'scope.update', 'organization', 'old', 'Changed the categories in scope', ` + q(scope) + `, ` + q(scope2) + `)`,
		`INSERT INTO activity (org_id, at, actor_name, actor_via, action, object_type, object_id, summary)
			VALUES (1, '` + at + `', 'assay', 'system', 'note', 'organization', 'old', 'An entry with neither before nor after')`,
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// LedgerAdoptsOldTrail checks a store opened on WriteOldTrail's database:
// the migration made the old entries the first leaves, the first write
// (here a checkpoint) computes their hashes, and everything verifies.
func LedgerAdoptsOldTrail(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	key, _, err := ledger.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	cp, issued, err := s.AppendCheckpoint(ctx, key.Sign)
	if err != nil || !issued || cp.Size != 3 {
		t.Fatalf("first checkpoint after the migration = %+v, %v, %v", cp, issued, err)
	}
	old, err := s.Org(1).Activity(ctx, assay.ActivityFilter{})
	if err != nil || len(old) != 3 {
		t.Fatalf("old trail = %d entries, %v", len(old), err)
	}
	mem := &ledger.MemoryTree{}
	for i := range old {
		if _, err := mem.Append(ledger.EntryFromActivity(int64(i), old[len(old)-1-i]).Hash()); err != nil {
			t.Fatal(err)
		}
	}
	if root, _ := mem.Root(3); root != cp.Root {
		t.Fatalf("checkpoint root %s, want %s from the old entries", cp.Root, root)
	}
	if _, err := s.Org(1).UpdateScope(ctx, Actor, assay.Scope{}); err != nil {
		t.Fatal(err)
	}
	rep, err := verifyStore(ctx, s, ledger.Options{Verifier: key.Verifier(), LastCheckpoint: cp.Note})
	if err != nil || rep.Entries != 4 || rep.Organizations != 1 {
		t.Fatalf("verify = %+v, %v", rep, err)
	}
}
