package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/monitor/collect/roster"
	"github.com/assay-platform/assay/monitor/runner"
)

// withBlobs gives the env's services a real blob store and the runner's
// snapshot reader, as the server and the CLI run them.
func withBlobs(t *testing.T, e *env) *evidence.FS {
	t.Helper()
	blobs, err := evidence.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustDefault()
	if e.app, err = app.New(app.Config{Store: e.db, Clock: e.clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList,
		Blobs: blobs, Snapshots: runner.LoadSnapshot}); err != nil {
		t.Fatal(err)
	}
	return blobs
}

// TestAccessAccountsFromSnapshot reads accounts from a monitoring run's
// snapshot in a real blob store: idp.account from a roster and login
// roles from a PostgreSQL source.
func TestAccessAccountsFromSnapshot(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	blobs := withBlobs(t, e)
	sys := assay.Actor{Name: "test", Via: "system"}
	o := e.db.Org(e.org.ID)
	src, err := o.CreateSource(ctx, sys, assay.Source{Name: "Okta", Kind: "roster", Enabled: true, IntervalMinutes: 60}, nil)
	if err != nil {
		t.Fatalf("create source: %v", err)
	}
	if _, err := e.app.SourceAccounts(ctx, o, src.ID, ""); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Errorf("a source that never ran: %v", err)
	}
	resources, err := roster.Parse([]byte("Username,Email,MFA,Admin,Departed\nalice,alice@example.com,yes,yes,no\nbob,bob@example.com,yes,no,yes\n"), nil, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	resources = append(resources,
		assay.Resource{Kind: app.KindPostgresRole, ID: "db/app", Name: "app@db", Attrs: map[string]any{"role": "app", "can_login": true, "create_db": true, "member_of": []any{"readers"}}},
		assay.Resource{Kind: app.KindPostgresRole, ID: "db/readers", Name: "readers@db", Attrs: map[string]any{"role": "readers", "can_login": false}})
	snap, err := runner.Snapshot(ctx, blobs, resources)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, _, err := o.RecordRun(ctx, sys, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now, Status: assay.RunOK, Snapshot: snap}, nil, nil); err != nil {
		t.Fatalf("record run: %v", err)
	}
	list, err := e.app.SourceAccounts(ctx, o, src.ID, "")
	if err != nil {
		t.Fatalf("source accounts: %v", err)
	}
	got := map[string]assay.NewAccessAccount{}
	for _, a := range list {
		got[a.Account] = a
	}
	if len(list) != 3 || got["alice"].Email != "alice@example.com" || got["alice"].System != "Okta" || !strings.Contains(got["alice"].Privileges, "admin") ||
		!got["bob"].Departed || got["app"].Source != assay.AccountFromPostgres || !strings.Contains(got["app"].Privileges, "member of readers") {
		t.Fatalf("accounts = %+v", list)
	}
}
