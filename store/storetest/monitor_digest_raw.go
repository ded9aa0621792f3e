package storetest

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlstore"
)

// RunDigestVersions: a run recorded before digest version 2 (its row
// rewritten through raw, a plain connection to the same database, as the
// migration leaves old rows: version 1 and RunDigest) and a run recorded
// now (version 2) both verify against their results, and a tampered
// result fails each.
func RunDigestVersions(t *testing.T, s store.Store, raw *sql.DB) {
	t.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, Actor, "Digests", "digests", assay.Scope{}, LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	o := s.Org(org.ID)
	src, err := o.CreateSource(ctx, Actor, assay.Source{Name: "web", Kind: "http", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	results := []assay.CheckResult{mresult("http-tls", "a", assay.CheckPass), mresult("http-tls", "b", assay.CheckFail),
		mresult("http-hsts", "a", assay.CheckFail), mresult("http-hsts", "b", assay.CheckPass),
		{CheckID: "http-hsts", ResourceKind: "http.endpoint", Status: assay.CheckError, Reason: "could not be compiled"}}
	var runs []assay.MonitorRun
	for i := range 2 {
		at := Epoch.Add(time.Duration(i) * time.Hour)
		run, _, err := o.RecordRun(ctx, Actor, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerSchedule, StartedAt: at, EndedAt: at, Status: assay.RunOK}, results, nil)
		if err != nil {
			t.Fatal(err)
		}
		if run.DigestVersion != assay.DigestV2 || run.Digest != assay.RunDigestV2(results) {
			t.Fatalf("run %d: %+v", i, run)
		}
		runs = append(runs, run)
	}
	q := `UPDATE monitor_runs SET digest = ?, digest_version = 1 WHERE id = ?`
	if d, ok := s.(*sqlstore.DB); ok && d.Dialect().Numbered() {
		q = `UPDATE monitor_runs SET digest = $1, digest_version = 1 WHERE id = $2`
	}
	if _, err := raw.ExecContext(ctx, q, assay.RunDigest(results), runs[0].ID); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{assay.DigestV1, assay.DigestV2} {
		run, err := o.Run(ctx, runs[i].ID)
		if err != nil || run.DigestVersion != want {
			t.Fatalf("run %d read back: %+v, %v", i, run, err)
		}
		if err := assay.VerifyRunDigest(run, results); err != nil {
			t.Fatalf("version %d run: %v", want, err)
		}
		tampered := slices.Clone(results)
		tampered[1].Status, tampered[1].Reason = assay.CheckPass, ""
		if err := assay.VerifyRunDigest(run, tampered); assay.ErrorCode(err) != assay.ECONFLICT {
			t.Fatalf("version %d run verified a tampered result: %v", want, err)
		}
	}
}
