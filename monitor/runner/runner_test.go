package runner

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/httpcheck"
	"github.com/assay-platform/assay/store"
)

// testChecks are real CEL checks on the http collector's attributes: one
// that passes on an HTTPS endpoint, one that fails everywhere.
var testChecks = []assay.Check{
	{ID: "custom-uses-tls", Title: "Endpoint uses TLS", Kind: httpcheck.KindEndpoint, Expr: "r.tls == true",
		Severity: assay.SeverityHigh, Reason: "{{.Name}} does not use TLS", Controls: []string{"CRY-02"}, Custom: true},
	{ID: "custom-port-one", Title: "Port one", Kind: httpcheck.KindEndpoint, Expr: "r.port == 1",
		Severity: assay.SeverityLow, Reason: "{{.Name}} listens on port {{.Attrs.port}}", Controls: []string{"NET-02"}, Custom: true},
}

func withChecks(e *env, checks []assay.Check) {
	e.runner.Checks = func(context.Context, store.OrgStore) ([]assay.Check, error) { return checks, nil }
}

func TestRunHTTPSourceThenCollectorError(t *testing.T) {
	e := newEnv(t)
	withChecks(e, testChecks)
	var notified []assay.RunChange
	e.runner.Notify = func(_ context.Context, orgID int64, src assay.Source, run assay.MonitorRun, ch []assay.RunChange) {
		if orgID != e.org.OrgID() || run.SourceID != src.ID {
			t.Errorf("notify for org %d source %d/%d", orgID, src.ID, run.SourceID)
		}
		notified = append(notified, ch...)
	}
	srv, ca := tlsServer(t, nil)
	src := e.httpSource(srv.URL, ca, nil)

	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != assay.RunOK || run.Pass != 1 || run.Fail != 1 || run.Errors != 0 || run.Snapshot == "" || run.ID == 0 {
		t.Fatalf("first run: %+v", run)
	}
	cur := e.current(src.ID)
	resID := srv.URL
	if r := cur[[2]string{"custom-uses-tls", resID}]; r.Status != assay.CheckPass {
		t.Fatalf("tls check: %+v (all: %v)", r, cur)
	}
	fail := cur[[2]string{"custom-port-one", resID}]
	if fail.Status != assay.CheckFail || !strings.Contains(fail.Reason, "127.0.0.1:") {
		t.Fatalf("port check: %+v", fail)
	}
	if len(notified) == 0 {
		t.Fatal("Notify was not told about the new failure")
	}

	// The snapshot evaluates again to the same results.
	again, err := e.runner.Reevaluate(e.ctx, run.Snapshot, testChecks)
	if err != nil {
		t.Fatal(err)
	}
	if run.DigestVersion != assay.DigestV2 {
		t.Fatalf("digest version %d", run.DigestVersion)
	}
	if err := assay.VerifyRunDigest(run, again); err != nil {
		t.Fatal(err)
	}

	// The endpoint goes away: error results for every check of the kind,
	// none passing, and the per-resource results stay as they were.
	srv.Close()
	e.clock.Advance(time.Hour)
	run2, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerSchedule)
	if err != nil {
		t.Fatal(err)
	}
	if run2.Status != assay.RunError || run2.Pass != 0 || run2.Errors != len(testChecks) || run2.Error == "" {
		t.Fatalf("run against a closed server: %+v", run2)
	}
	cur = e.current(src.ID)
	for _, c := range testChecks {
		se := cur[[2]string{c.ID, ""}]
		if se.Status != assay.CheckError || !strings.Contains(se.Reason, "could not be collected") {
			t.Fatalf("%s source-level result: %+v", c.ID, se)
		}
	}
	if cur[[2]string{"custom-uses-tls", resID}].Status != assay.CheckPass || cur[[2]string{"custom-port-one", resID}].Status != assay.CheckFail {
		t.Fatalf("earlier per-resource results were changed: %v", cur)
	}
	runs, err := e.org.Runs(e.ctx, src.ID, 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs: %d %v", len(runs), err)
	}
}

func TestRunTimeout(t *testing.T) {
	e := newEnv(t)
	withChecks(e, testChecks)
	release := make(chan struct{})
	srv, ca := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before srv.Close (cleanups are LIFO)
	src := e.httpSource(srv.URL, ca, nil)
	e.runner.Timeout = 300 * time.Millisecond
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != assay.RunError || run.Pass != 0 || run.Errors != len(testChecks) || !strings.Contains(run.Error, "timed out") {
		t.Fatalf("hanging endpoint: %+v", run)
	}
}

// hangingCollector ignores its context entirely; the runner still returns.
type hangingCollector struct{ monitor.Collector }

func (h hangingCollector) Collect(context.Context, monitor.Config) ([]assay.Resource, error) {
	select {}
}

func TestRunTimeoutCollectorIgnoresContext(t *testing.T) {
	e := newEnv(t)
	withChecks(e, testChecks)
	src := e.httpSource("https://127.0.0.1:1/", "", nil)
	e.runner.Collectors = func(kind string) (monitor.Collector, bool) { return hangingCollector{httpcheck.New()}, true }
	e.runner.Timeout = 100 * time.Millisecond
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunError || !strings.Contains(run.Error, "timed out") {
		t.Fatalf("run: %+v %v", run, err)
	}
}

// leakyCollector puts a secret into its error; the runner takes it out.
type leakyCollector struct{ monitor.Collector }

func (l leakyCollector) Collect(_ context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	return nil, errors.New("login failed with password " + cfg.Secrets["password"])
}

func TestSecretsSealedAndNeverInErrors(t *testing.T) {
	e := newEnv(t)
	withChecks(e, testChecks)
	const pw = "correct-horse-battery-staple"
	src := e.httpSource("https://127.0.0.1:1/", "", map[string]string{"password": pw})
	if !src.Enabled || len(src.SecretNames) != 1 || src.SecretNames[0] != "password" {
		t.Fatalf("created source: %+v", src)
	}
	sealed, err := e.org.SourceSecrets(e.ctx, src.ID)
	if err != nil || len(sealed) == 0 || strings.Contains(string(sealed), pw) {
		t.Fatalf("stored secrets: %d bytes, %v", len(sealed), err)
	}
	got, err := e.runner.OpenSecrets(e.ctx, e.org, src.ID)
	if err != nil || got["password"] != pw {
		t.Fatalf("open: %v %v", got, err)
	}
	e.runner.Collectors = func(string) (monitor.Collector, bool) { return leakyCollector{httpcheck.New()}, true }
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunError {
		t.Fatalf("run: %+v %v", run, err)
	}
	if strings.Contains(run.Error, pw) || !strings.Contains(run.Error, "[redacted]") {
		t.Fatalf("run error leaks the secret: %q", run.Error)
	}
	for _, r := range e.current(src.ID) {
		if strings.Contains(r.Reason, pw) {
			t.Fatalf("result leaks the secret: %q", r.Reason)
		}
	}
	// Updating with a blank secret keeps it; a new value replaces it.
	upd, err := e.svc.UpdateSource(e.ctx, e.org, assay.SystemActor, src.ID, src, map[string]string{"password": ""})
	if err != nil || len(upd.SecretNames) != 1 {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if got, _ := e.runner.OpenSecrets(e.ctx, e.org, src.ID); got["password"] != pw {
		t.Fatalf("blank secret did not keep the stored one: %v", got)
	}
	if _, err := e.svc.UpdateSource(e.ctx, e.org, assay.SystemActor, src.ID, src, map[string]string{"password": "new-one-here"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.runner.OpenSecrets(e.ctx, e.org, src.ID); got["password"] != "new-one-here" {
		t.Fatalf("secret not replaced: %v", got)
	}
	// Another installation's key cannot open them: an error run that says so.
	e.runner.Box = randomKey(t)
	run, err = e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunError || !strings.Contains(run.Error, "cannot be decrypted") {
		t.Fatalf("wrong key run: %+v %v", run, err)
	}
}

func TestIngestPush(t *testing.T) {
	e := newEnv(t)
	hostCheck := assay.Check{ID: "custom-root-login", Title: "No root SSH", Kind: "host.sshd", Expr: "r.permit_root_login == 'no'",
		Severity: assay.SeverityHigh, Reason: "root login {{.Attrs.permit_root_login}} on {{.Name}}", Controls: []string{"ACC-07"}, Custom: true}
	withChecks(e, []assay.Check{hostCheck})
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "web-1", Kind: "host", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := e.runner.Collector("host")
	if !contains(col.ResourceKinds(), "host.sshd") {
		t.Skipf("host collector kinds %v have no host.sshd", col.ResourceKinds())
	}
	if _, err := e.runner.Ingest(e.ctx, e.org, src.ID, []assay.Resource{{Kind: "http.endpoint", ID: "x"}}); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("wrong kind pushed: %v", err)
	}
	run, err := e.runner.Ingest(e.ctx, e.org, src.ID, []assay.Resource{
		{Kind: "host.sshd", ID: "web-1", Name: "web-1", Attrs: map[string]any{"permit_root_login": "yes"}},
	})
	if err != nil || run.Trigger != assay.TriggerPush || run.Fail != 1 {
		t.Fatalf("push: %+v %v", run, err)
	}
	if r := e.current(src.ID)[[2]string{"custom-root-login", "web-1"}]; r.Status != assay.CheckFail || r.Reason != "root login yes on web-1" {
		t.Fatalf("pushed result: %+v", r)
	}
}

func TestImport(t *testing.T) {
	e := newEnv(t)
	doc, err := os.ReadFile("../collect/terraform/testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	col, _ := e.runner.Collector("terraform")
	var checks []assay.Check
	for _, k := range col.ResourceKinds() {
		checks = append(checks, assay.Check{ID: "custom-" + strings.NewReplacer(".", "-", "_", "-").Replace(k), Title: "seen", Kind: k,
			Expr: "true", Severity: assay.SeverityLow, Reason: "{{.Name}}", Controls: []string{"MON-01"}, Custom: true})
	}
	withChecks(e, checks)
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "infra", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Before any document, a run someone asks for is an error run that
	// says what to do (the scheduler does not run it: TestWaitingSource).
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunError || !strings.Contains(run.Error, "no document") || !strings.Contains(run.Error, "assay import terraform FILE") {
		t.Fatalf("run without a document: %+v %v", run, err)
	}
	// A document the collector cannot read changes nothing.
	if _, err := e.runner.Import(e.ctx, e.org, src.ID, []byte("{not json")); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("bad document: %v", err)
	}
	if s, _ := e.org.Source(e.ctx, src.ID); s.InputHash != "" {
		t.Fatalf("bad document was kept: %s", s.InputHash)
	}
	run, err = e.runner.Import(e.ctx, e.org, src.ID, doc)
	if err != nil || run.Status != assay.RunOK || run.Trigger != assay.TriggerImport || run.Resources == 0 {
		t.Fatalf("import: %+v %v", run, err)
	}
	s, _ := e.org.Source(e.ctx, src.ID)
	if s.InputHash == "" {
		t.Fatal("source input not set")
	}
	// The next scheduled run reads the stored document again.
	run2, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerSchedule)
	if err != nil || run2.Status != assay.RunOK || run2.Digest != run.Digest || run2.Snapshot != run.Snapshot {
		t.Fatalf("re-run of the stored document: %+v %v (first %+v)", run2, err, run)
	}
	// A live source takes no document.
	live := e.httpSource("https://127.0.0.1:1/", "", nil)
	if _, err := e.runner.Import(e.ctx, e.org, live.ID, doc); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("import into an http source: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A check that does not compile (a custom check saved under an older
// engine) gives error results; the other checks still run.
func TestBadCheckDoesNotStopTheRun(t *testing.T) {
	e := newEnv(t)
	bad := assay.Check{ID: "custom-broken", Title: "Broken", Kind: httpcheck.KindEndpoint, Expr: "r.port ==",
		Severity: assay.SeverityLow, Reason: "{{.Name}}", Controls: []string{"NET-02"}, Custom: true}
	withChecks(e, append([]assay.Check{bad}, testChecks...))
	srv, ca := tlsServer(t, nil)
	src := e.httpSource(srv.URL, ca, nil)
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Pass != 1 || run.Fail != 1 || run.Errors != 1 {
		t.Fatalf("run: %+v %v", run, err)
	}
	r := e.current(src.ID)[[2]string{"custom-broken", ""}]
	if r.Status != assay.CheckError || !strings.Contains(r.Reason, "could not be compiled") {
		t.Fatalf("broken check: %+v", r)
	}
}
