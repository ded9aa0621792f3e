package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// AppendOnly checks that the activity table refuses changes made behind the
// store's back. s is a store and raw a plain connection to the same
// database; extra are more statements the backend must refuse (TRUNCATE on
// PostgreSQL). Run it on a fresh database: the first entry it makes has the
// smallest seq. Every statement must fail, and the trail must read the same
// afterwards, and still take new entries through the store.
func AppendOnly(t *testing.T, s store.Store, raw *sql.DB, extra ...string) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Append Only", "append-only", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	os := s.Org(org.ID)
	if _, err := os.UpdateControl(ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("before tampering")}); err != nil {
		t.Fatal(err)
	}
	before, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1000})
	if err != nil || len(before) != 3 {
		t.Fatalf("activity before = %d entries, %v", len(before), err)
	}
	oldest := before[len(before)-1].Seq
	stmts := append([]string{
		`UPDATE activity SET summary = 'forged'`,
		`UPDATE activity SET after_json = NULL WHERE seq = ` + itoa(oldest),
		`UPDATE activity SET seq = seq + 1000 WHERE seq = ` + itoa(before[0].Seq),
		`DELETE FROM activity WHERE seq = ` + itoa(oldest),
		`DELETE FROM activity`,
		`INSERT INTO activity (seq, org_id, at, actor_name, actor_via, action, object_type, object_id, summary)
			VALUES (` + itoa(oldest) + `, ` + itoa(org.ID) + `, 'x', 'forger', 'cli', 'forged', 'x', 'x', 'forged')
			ON CONFLICT (seq) DO UPDATE SET summary = 'forged'`,
	}, extra...)
	for _, stmt := range stmts {
		if _, err := raw.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: succeeded, want it refused", stmt)
		}
	}
	after, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	jsonEq(t, after, before, "activity after tampering attempts")

	// The store still appends.
	if _, err := os.UpdateControl(ctx, Actor, "AC-01", assay.ControlPatch{Notes: ptr("after tampering")}); err != nil {
		t.Fatalf("update after tampering attempts: %v", err)
	}
	latest, err := os.Activity(ctx, assay.ActivityFilter{Limit: 1})
	if err != nil || len(latest) != 1 || latest[0].Seq <= before[0].Seq {
		t.Fatalf("newest entry after tampering attempts = %+v, %v", latest, err)
	}
}
