package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/storetest"
)

// TestMonitorFailingBuiltOnOpen: a database migrated to monitor_failing
// with results already recorded (the migration marks its organisations
// pending and cannot read the state blobs) gets the table filled from them
// when Assay opens it, so the summary is what it was.
func TestMonitorFailingBuiltOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "assay.db")
	s := open(t, path, config())
	org, err := s.CreateOrganization(ctx, storetest.Actor, "Failing", "failing", assay.Scope{}, storetest.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	os := s.Org(org.ID)
	src, err := os.CreateSource(ctx, storetest.Actor, assay.Source{Name: "web", Kind: "http", Enabled: true,
		Settings: map[string]string{"urls": "https://web.example"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := func(check, id string, status assay.CheckStatus) assay.CheckResult {
		r := assay.CheckResult{CheckID: check, ResourceKind: "http.endpoint", ResourceID: id, ResourceName: id + ":443", Status: status}
		if status != assay.CheckPass {
			r.Reason = check + " " + string(status)
		}
		return r
	}
	now := storetest.Epoch
	if _, _, err := os.RecordRun(ctx, storetest.Actor, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: now, EndedAt: now.Add(time.Second), Status: assay.RunOK},
		[]assay.CheckResult{res("http-tls", "a", assay.CheckFail), res("http-tls", "b", assay.CheckPass), res("http-hsts", "a", assay.CheckError)},
		map[string]store.CheckMeta{}); err != nil {
		t.Fatal(err)
	}
	want, err := os.NotPassingChecks(ctx, 3)
	if err != nil || len(want) != 2 {
		t.Fatalf("before: %+v, %v", want, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// As the migration leaves a database with results: pending, empty.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM monitor_failing`, `INSERT INTO monitor_failing_pending (org_id) SELECT DISTINCT org_id FROM monitor_resources`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	s = open(t, path, config())
	defer s.Close()
	got, err := s.Org(org.ID).NotPassingChecks(ctx, 3)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after the build: %+v, %v; want %+v", got, err, want)
	}
	raw, err = sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var pending, rows int
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM monitor_failing_pending), (SELECT COUNT(*) FROM monitor_failing)`).Scan(&pending, &rows); err != nil || pending != 0 || rows != 2 {
		t.Fatalf("pending %d, rows %d, %v", pending, rows, err)
	}
}
