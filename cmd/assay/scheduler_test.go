package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/postgres"
	"github.com/assay-platform/assay/store/sqlstore"
)

// countingEndpoint is a plain HTTP server that counts the collections made
// of it: the http collector makes one GET of the source's URL per run.
func countingEndpoint(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" && r.Method == http.MethodGet {
			n.Add(1)
		}
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func runCount(t *testing.T, ost store.OrgStore, sourceID int64) int {
	t.Helper()
	runs, err := ost.Runs(context.Background(), sourceID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(runs)
}

// newHTTPSource creates an enabled, due http source for url.
func newHTTPSource(t *testing.T, ost store.OrgStore, name, url string) assay.Source {
	t.Helper()
	src, err := ost.CreateSource(context.Background(), assay.SystemActor, assay.Source{
		Name: name, Kind: "http", Enabled: true, IntervalMinutes: 60,
		Settings: map[string]string{"url": url, "timeout": "5s"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// startServe runs `assay serve` (the real binary) against a database URL
// with extra environment and waits until it serves.
func startServe(t *testing.T, bin, data, db string, env ...string) *assayProcess {
	t.Helper()
	cmd := exec.Command(bin, "--data", data, "--db", db, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(assayEnv(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &assayProcess{cmd: cmd}
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("assay serve (%s) stderr:\n%s", data, stderr.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case p.url = <-found:
		return p
	case <-time.After(60 * time.Second):
		t.Fatalf("assay serve did not start:\n%s", stderr.String())
	}
	return nil
}

// TestSchedulerExactlyOnceAcrossProcesses starts two real `assay serve`
// processes on one PostgreSQL database, both polling every 100 ms, makes a
// source due three times, and checks that each due slot was run exactly
// once (one run recorded, one collection seen by the endpoint).
func TestSchedulerExactlyOnceAcrossProcesses(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dbURL := freshPostgres(t)
	bin := buildAssay(t)
	runAssay(t, bin, "", "--db", dbURL, "--data", t.TempDir(), "migrate")

	ctx := context.Background()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dbURL, sqlstore.Config{Clock: assay.SystemClock{}, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org, err := db.CreateOrganization(ctx, assay.SystemActor, "Twice", "twice", assay.Scope{}, cat.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	ost := db.Org(org.ID)

	key := make([]byte, 32)
	rand.Read(key)
	env := []string{"ASSAY_SCHEDULER_POLL=100ms", "ASSAY_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key), "ASSAY_NO_SCHEDULER="}
	a := startServe(t, bin, t.TempDir(), dbURL, env...)
	b := startServe(t, bin, t.TempDir(), dbURL, env...)

	srv, seen := countingEndpoint(t)
	src := newHTTPSource(t, ost, "Health", srv.URL+"/health") // due at once

	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	const slots = 3
	for slot := 1; slot <= slots; slot++ {
		if slot > 1 {
			// The next slot: make the source due again, as the clock would.
			if _, err := raw.Exec(`UPDATE monitor_sources SET next_run_at = '2000-01-01T00:00:00.000000Z' WHERE id = $1`, src.ID); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "the run of the due slot", func() bool { return runCount(t, ost, src.ID) >= slot })
	}
	// Both processes stop gracefully (a run in flight ends first); then
	// every slot has run exactly once.
	for _, p := range []*assayProcess{a, b} {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		if err := p.cmd.Wait(); err != nil {
			t.Fatalf("graceful stop: %v", err)
		}
	}
	if n := runCount(t, ost, src.ID); n != slots {
		t.Fatalf("after %d due slots: %d runs recorded", slots, n)
	}
	if n := seen.Load(); n != slots {
		t.Fatalf("after %d due slots: the endpoint saw %d collections", slots, n)
	}
	runs, err := ost.Runs(ctx, src.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Trigger != assay.TriggerSchedule || r.Status != assay.RunOK {
			t.Fatalf("run %+v", r)
		}
	}
	s, err := ost.Source(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !s.NextRunAt.After(clocktest.Now().Add(50 * time.Minute)) {
		t.Fatalf("next run %s is not an interval ahead", s.NextRunAt)
	}
}

// startSchedulingMain runs the program in this process over data (SQLite)
// with a scheduler that polls once at start and then only when the test
// calls Tick.
func startSchedulingMain(t *testing.T, data string) *testMain {
	t.Helper()
	out := &bytes.Buffer{}
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: data, Addr: "127.0.0.1:0", PasswordParams: fastParams, Stdout: out,
		Logger: testLogger(t), SchedulerPoll: time.Hour})
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	return &testMain{Main: m, out: out}
}

// TestSchedulerNextRunSurvivesRestart: a source runs once when due; after
// a restart its next run time is the stored one, so it does not run again
// before then.
func TestSchedulerNextRunSurvivesRestart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	m := startSchedulingMain(t, data)
	orgID, _ := m.orgWithAdmin(t, "Restart")
	srv, seen := countingEndpoint(t)
	src := newHTTPSource(t, m.Store.Org(orgID), "Health", srv.URL+"/health")
	if n := m.Scheduler.Tick(context.Background()); n != 1 || runCount(t, m.Store.Org(orgID), src.ID) != 1 {
		t.Fatalf("the first poll after the source was added ran %d sources", n)
	}
	before, err := m.Store.Org(orgID).Source(context.Background(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if before.LastRunAt == nil || !before.NextRunAt.After(*before.LastRunAt) {
		t.Fatalf("after the run: next %s, last %v", before.NextRunAt, before.LastRunAt)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m = startSchedulingMain(t, data)
	t.Cleanup(func() { m.Close() })
	for range 25 {
		if n := m.Scheduler.Tick(context.Background()); n != 0 {
			t.Fatalf("a poll after the restart ran %d sources before their stored next run", n)
		}
	}
	after, err := m.Store.Org(orgID).Source(context.Background(), src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !after.NextRunAt.Equal(before.NextRunAt) {
		t.Fatalf("next run changed across the restart: %s, was %s", after.NextRunAt, before.NextRunAt)
	}
	if n := runCount(t, m.Store.Org(orgID), src.ID); n != 1 || seen.Load() != 1 {
		t.Fatalf("after the restart: %d runs, %d collections; want 1 and 1", n, seen.Load())
	}
	// With the scheduler turned off (--no-scheduler) a due source waits.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2 := NewMain(Config{Clock: clocktest.Clock(), DataDir: data, Addr: "127.0.0.1:0", PasswordParams: fastParams, Stdout: &bytes.Buffer{},
		Logger: testLogger(t), SchedulerPoll: time.Millisecond, NoScheduler: true})
	if err := m2.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	m = &testMain{Main: m2}
	due := newHTTPSource(t, m2.Store.Org(orgID), "Later", srv.URL+"/health")
	if n := runCount(t, m2.Store.Org(orgID), due.ID); n != 0 || m2.Scheduler != nil {
		t.Fatalf("--no-scheduler ran a due source %d times", n)
	}
}
