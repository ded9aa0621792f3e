package main

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/secret"
)

// controlReason is the reason readiness gives for a control, "" when it
// lacks nothing (or is not relied on).
func controlReason(rd assay.Readiness, id string) (string, bool) {
	for _, c := range rd.Criteria {
		for _, ref := range c.Controls {
			if ref.ID == id {
				return ref.Reason, true
			}
		}
	}
	return "", false
}

// TestMonitorReadiness runs a real source through the program's runner
// and checks that readiness (the CLI's app.OrgReadiness and the API's)
// holds a control tested by a failing check as not met, says why, and
// lets it go once the check passes; a source that cannot be collected
// keeps the control not met ("could not run").
func TestMonitorReadiness(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	ctx := context.Background()
	orgID, token := m.orgWithAdmin(t, "Watch")
	org := m.Store.Org(orgID)
	if m.Runner == nil || m.Secrets == nil {
		t.Fatal("Main has no runner or secret box")
	}
	if info, err := os.Stat(filepath.Join(m.Config.DataDir, secret.KeyFile)); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("secret key file: %v %v", info, err)
	}
	// NET-02 is implemented, with current evidence, so only the check
	// can hold it back.
	status := assay.StatusImplemented
	if _, err := org.UpdateControl(ctx, assay.SystemActor, "NET-02", assay.ControlPatch{Status: &status}); err != nil {
		t.Fatal(err)
	}
	check := assay.Check{ID: "custom-port-one", Title: "Listens on port one", Kind: "http.endpoint", Expr: "r.port == 1",
		Severity: assay.SeverityMedium, Reason: "{{.Name}} listens on port {{.Attrs.port}}", Controls: []string{"NET-02"}}
	if _, err := org.CreateCustomCheck(ctx, assay.SystemActor, check); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	svc := runner.Service{Runner: m.Runner}
	src, err := svc.CreateSource(ctx, org, assay.SystemActor, assay.Source{Name: "API", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": srv.URL, "ca_pem": ca}}, map[string]string{"token": "s3cret-token-value"})
	if err != nil {
		t.Fatal(err)
	}

	readiness := func() string {
		t.Helper()
		v, err := m.App.OrgReadiness(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		why, ok := controlReason(v.Readiness, "NET-02")
		if !ok {
			t.Fatal("NET-02 is not in the readiness")
		}
		var api, summary assay.Readiness
		if code := m.call(t, token, "GET", "/api/v1/readiness?controls=true", "", &api); code != 200 {
			t.Fatalf("api readiness: %d", code)
		}
		if apiWhy, _ := controlReason(api, "NET-02"); apiWhy != why {
			t.Fatalf("API says %q, the CLI's app.OrgReadiness %q", apiWhy, why)
		}
		// Without controls=true: the same verdicts, reasons and missing controls, no lists.
		if code := m.call(t, token, "GET", "/api/v1/readiness", "", &summary); code != 200 {
			t.Fatalf("api readiness summary: %d", code)
		}
		for i := range api.Criteria {
			api.Criteria[i].Controls = nil
		}
		for i := range api.Gaps {
			api.Gaps[i].Controls = nil
		}
		api.ComputedAt, summary.ComputedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(api, summary) {
			t.Fatalf("summary differs from the whole document:\n%+v\n%+v", summary, api)
		}
		return why
	}
	if why := readiness(); strings.Contains(why, "custom-port-one") {
		t.Fatalf("before any run: %q", why)
	}

	checkStatus := func() assay.CheckStatus {
		t.Helper()
		rs, err := org.CurrentResults(ctx, assay.ResultFilter{CheckID: check.ID, SourceID: src.ID})
		if err != nil || len(rs) != 1 {
			t.Fatalf("results of %s: %v %v", check.ID, rs, err)
		}
		return rs[0].Status
	}
	run, err := m.Runner.RunSource(runner.WithActor(ctx, assay.SystemActor), org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunOK || checkStatus() != assay.CheckFail {
		t.Fatalf("run: %+v %v", run, err)
	}
	// (library http checks may fail on the test server too and be named.)
	host := strings.TrimPrefix(srv.URL, "https://")
	if why := readiness(); !strings.Contains(why, "failing: ") || !strings.Contains(why, "custom-port-one on "+host) {
		t.Fatalf("with the check failing: %q", why)
	}

	// The check passes: the condition goes.
	check.Expr = "r.port > 0"
	if _, err := org.UpdateCustomCheck(ctx, assay.SystemActor, check.ID, check); err != nil {
		t.Fatal(err)
	}
	if run, err = m.Runner.RunSource(ctx, org, src.ID, assay.TriggerManual); err != nil || checkStatus() != assay.CheckPass {
		t.Fatalf("run: %+v %v", run, err)
	}
	if why := readiness(); strings.Contains(why, "custom-port-one") {
		t.Fatalf("with the check passing: %q", why)
	}

	// The endpoint goes away: the check cannot run, the control is not met.
	srv.Close()
	if run, err = m.Runner.RunSource(ctx, org, src.ID, assay.TriggerManual); err != nil || run.Status != assay.RunError {
		t.Fatalf("run: %+v %v", run, err)
	}
	why := readiness()
	if !strings.Contains(why, "could not run: ") || !strings.Contains(why, "custom-port-one on source API") {
		t.Fatalf("with the source down: %q", why)
	}
	if strings.Contains(why+run.Error, "s3cret-token-value") {
		t.Fatal("a secret reached a reason")
	}
	// A disabled source no longer holds the control back.
	if _, err := org.SetSourceEnabled(ctx, assay.SystemActor, src.ID, false); err != nil {
		t.Fatal(err)
	}
	if why := readiness(); strings.Contains(why, "custom-port-one") {
		t.Fatalf("with the source disabled: %q", why)
	}
}

// TestSchedulerPollSetting: the poll interval comes from the config, then
// ASSAY_SCHEDULER_POLL; a bad value stops start-up with a clear error.
func TestSchedulerPollSetting(t *testing.T) {
	m := NewMain(Config{Clock: clocktest.Clock()})
	t.Setenv(envSchedulerPoll, "")
	if d, err := m.schedulerPoll(); err != nil || d != runner.DefaultPoll {
		t.Fatalf("default: %v %v", d, err)
	}
	t.Setenv(envSchedulerPoll, "250ms")
	if d, err := m.schedulerPoll(); err != nil || d.Milliseconds() != 250 {
		t.Fatalf("env: %v %v", d, err)
	}
	m.Config.SchedulerPoll = 3e9
	if d, _ := m.schedulerPoll(); d.Seconds() != 3 {
		t.Fatalf("config: %v", d)
	}
	m.Config.SchedulerPoll = 0
	t.Setenv(envSchedulerPoll, "often")
	if _, err := m.schedulerPoll(); err == nil || !strings.Contains(err.Error(), envSchedulerPoll) {
		t.Fatalf("bad value: %v", err)
	}
}
