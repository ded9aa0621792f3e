package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
)

// tlsTarget is a real HTTPS endpoint without HSTS: http-hsts-enabled
// fails on it. It returns the server and its CA certificate in PEM.
func tlsTarget(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
}

// hookSink records signed webhook deliveries.
type hookSink struct {
	mu   sync.Mutex
	msgs []alert.Message
	bad  int
}

func newHookSink(t *testing.T, secret string) (*hookSink, *httptest.Server) {
	h := &hookSink{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		if !alert.Verify([]byte(secret), r.Header.Get(alert.HeaderTimestamp), body, r.Header.Get(alert.HeaderSignature)) {
			h.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m alert.Message
		_ = json.Unmarshal(body, &m)
		h.msgs = append(h.msgs, m)
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hookSink) got() ([]alert.Message, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]alert.Message(nil), h.msgs...), h.bad
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestMonitoringEndToEnd drives monitoring through the real program's API:
// an alert channel, an http source against a real TLS server, a run, the
// failing check in the list, its grid and results, the finding and the
// signed alert; a custom check with a bad expression; an agent push; and
// who may do what.
func TestMonitoringEndToEnd(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, admin := m.orgWithAdmin(t, "Acme")
		viewer := m.userToken(t, orgID, "viewer@acme.example", assay.RoleViewer)
		_, other := m.orgWithAdmin(t, "Other")
		target, ca := tlsTarget(t)
		sink, hook := newHookSink(t, "hook-signing-secret")

		var ch struct {
			ID         int64
			SecretKeys []string `json:"secret_keys"`
		}
		if code := m.call(t, admin, "POST", "/api/v1/alert-channels", jsonBody(t, map[string]any{"kind": "webhook", "name": "SIEM",
			"settings": map[string]string{"url": hook.URL}, "secrets": map[string]string{"secret": "hook-signing-secret"}}), &ch); code != 201 ||
			strings.Join(ch.SecretKeys, ",") != "secret" {
			t.Fatalf("create channel: %d %+v", code, ch)
		}
		var e apiErr
		if code := m.call(t, viewer, "GET", "/api/v1/alert-channels", "", &e); code != 403 {
			t.Fatalf("viewer reads alert channels: %d", code)
		}

		srcBody := jsonBody(t, map[string]any{"name": "Public API", "kind": "http", "settings": map[string]string{"url": target.URL, "ca_pem": ca},
			"secrets": map[string]string{"token": "super-secret-token"}})
		if code := m.call(t, viewer, "POST", "/api/v1/sources", srcBody, &e); code != 403 {
			t.Fatalf("viewer adds a source: %d %+v", code, e)
		}
		var src assay.Source
		if code := m.call(t, admin, "POST", "/api/v1/sources", srcBody, &src); code != 201 || src.ID == 0 || strings.Join(src.SecretNames, ",") != "token" {
			t.Fatalf("create source: %d %+v", code, src)
		}
		if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/sources/%d", src.ID), "", &e); code != 404 {
			t.Fatalf("another organisation reads the source: %d", code)
		}
		if code := m.call(t, other, "POST", fmt.Sprintf("/api/v1/sources/%d/run", src.ID), "", &e); code != 404 {
			t.Fatalf("another organisation runs the source: %d", code)
		}
		var otherList struct{ Count int }
		if m.call(t, other, "GET", "/api/v1/sources", "", &otherList); otherList.Count != 0 {
			t.Fatalf("another organisation lists %d sources", otherList.Count)
		}

		var run assay.MonitorRun
		if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/run", src.ID), "", &run); code != 200 || run.Status != assay.RunOK || run.Fail == 0 || run.Digest == "" {
			t.Fatalf("run: %d %+v", code, run)
		}
		var checks struct {
			Checks []struct {
				ID      string
				Status  string
				Failing int
				Days    []struct{ Result, Reason string }
			}
		}
		if code := m.call(t, viewer, "GET", "/api/v1/checks?status=failing&days=1", "", &checks); code != 200 {
			t.Fatalf("checks: %d", code)
		}
		found := false
		for _, c := range checks.Checks {
			if c.Status != "failing" {
				t.Fatalf("status filter let %s (%s) through", c.ID, c.Status)
			}
			if c.ID == "http-hsts-enabled" {
				found = true
				if len(c.Days) != 30 || c.Days[29].Result != "fail" || c.Days[0].Result != "none" || c.Failing != 1 {
					t.Fatalf("hsts grid = %+v", c)
				}
			}
		}
		if !found {
			t.Fatalf("http-hsts-enabled is not failing: %+v", checks)
		}
		var results struct {
			Results []assay.CurrentResult
		}
		m.call(t, viewer, "GET", "/api/v1/results?check=http-hsts-enabled&status=fail", "", &results)
		if len(results.Results) != 1 || results.Results[0].SourceID != src.ID || results.Results[0].Reason == "" {
			t.Fatalf("results = %+v", results)
		}
		var findings struct{ Findings []assay.Finding }
		m.call(t, viewer, "GET", "/api/v1/findings?open=1", "", &findings)
		hasFinding := false
		for _, f := range findings.Findings {
			hasFinding = hasFinding || f.CheckID == "http-hsts-enabled"
		}
		if !hasFinding {
			t.Fatalf("no finding for the failing check: %+v", findings)
		}
		var detail struct {
			Check   struct{ ID string }
			Results []assay.CurrentResult
			History []assay.Transition
		}
		if code := m.call(t, viewer, "GET", "/api/v1/checks/http-hsts-enabled", "", &detail); code != 200 || len(detail.History) == 0 {
			t.Fatalf("check detail: %d %+v", code, detail)
		}
		msgs, bad := sink.got()
		if bad != 0 || len(msgs) != 1 || len(msgs[0].Failures) == 0 || msgs[0].Source.ID != src.ID {
			t.Fatalf("alerts: %d bad, %+v", bad, msgs)
		}
		// Running again changes nothing: no new alert.
		m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/run", src.ID), "", &run)
		if msgs, _ := sink.got(); len(msgs) != 1 {
			t.Fatalf("a run without changes alerted: %d messages", len(msgs))
		}
		var runs struct{ Runs []assay.MonitorRun }
		if m.call(t, viewer, "GET", fmt.Sprintf("/api/v1/runs?source=%d", src.ID), "", &runs); len(runs.Runs) != 2 {
			t.Fatalf("runs = %+v", runs)
		}

		// A bad custom check: 400 with the position, nothing saved.
		bad1 := jsonBody(t, map[string]any{"id": "custom-port", "title": "Port", "kind": "http.endpoint", "expr": "r.port ==",
			"severity": "low", "reason": "{{.Name}}", "controls": []string{"NET-02"}})
		if code := m.call(t, admin, "POST", "/api/v1/checks", bad1, &e); code != 400 || e.Error.Field != "expr" || !strings.Contains(e.Error.Message, "line 1, column") {
			t.Fatalf("bad expression: %d %+v", code, e)
		}
		if code := m.call(t, viewer, "GET", "/api/v1/checks/custom-port", "", &e); code != 404 {
			t.Fatalf("the bad check was saved: %d", code)
		}
		good := strings.Replace(bad1, `r.port ==`, `r.port == 443`, 1)
		if code := m.call(t, viewer, "POST", "/api/v1/checks", good, &e); code != 403 {
			t.Fatalf("viewer adds a check: %d", code)
		}
		var saved assay.Check
		if code := m.call(t, admin, "POST", "/api/v1/checks", good, &saved); code != 201 || !saved.Custom {
			t.Fatalf("good check: %d %+v", code, saved)
		}

		// An agent pushes what it found on a host.
		var host assay.Source
		if code := m.call(t, admin, "POST", "/api/v1/sources", `{"name":"web-1","kind":"host"}`, &host); code != 201 {
			t.Fatalf("host source: %d", code)
		}
		push := jsonBody(t, map[string]any{"resources": []assay.Resource{{Kind: "host.sshd", ID: "web-1/host.sshd", Name: "web-1",
			Attrs: map[string]any{"installed": true, "permit_root_login": "yes"}}}})
		if code := m.call(t, other, "POST", fmt.Sprintf("/api/v1/sources/%d/resources", host.ID), push, &e); code != 404 {
			t.Fatalf("another organisation pushes: %d", code)
		}
		if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/resources", host.ID), push, &run); code != 200 || run.Trigger != assay.TriggerPush {
			t.Fatalf("push: %d %+v", code, run)
		}
		m.call(t, viewer, "GET", fmt.Sprintf("/api/v1/results?check=host-ssh-root-login-disabled&source=%d", host.ID), "", &results)
		if len(results.Results) != 1 || results.Results[0].Status != assay.CheckFail || !strings.Contains(results.Results[0].Reason, "web-1") {
			t.Fatalf("pushed results = %+v", results)
		}

		// Alert channels: another organisation cannot see or change one;
		// PATCH keeps the secret; DELETE removes it.
		chPath := fmt.Sprintf("/api/v1/alert-channels/%d", ch.ID)
		if code := m.call(t, other, "PATCH", chPath, `{"enabled":false}`, &e); code != 404 {
			t.Fatalf("another organisation changes the channel: %d", code)
		}
		var patched struct {
			Enabled    bool
			SecretKeys []string `json:"secret_keys"`
		}
		if code := m.call(t, admin, "PATCH", chPath, `{"enabled":false,"name":"SIEM (paused)"}`, &patched); code != 200 || patched.Enabled ||
			strings.Join(patched.SecretKeys, ",") != "secret" {
			t.Fatalf("patch channel: %d %+v", code, patched)
		}
		// Two messages: the TLS source's failures, then the pushed host's.
		var deliveries struct{ Count int }
		if m.call(t, admin, "GET", "/api/v1/alert-deliveries", "", &deliveries); deliveries.Count != 2 {
			t.Fatalf("deliveries = %d, want 2", deliveries.Count)
		}
		if msgs, _ := sink.got(); len(msgs) != 2 || msgs[1].Source.ID != host.ID || msgs[1].Failures[0].CheckID == "" {
			t.Fatalf("alert messages = %+v", msgs)
		}
		if code := m.call(t, admin, "DELETE", chPath, "", nil); code != 204 {
			t.Fatalf("delete channel: %d", code)
		}
		if code := m.call(t, admin, "GET", chPath, "", &e); code != 404 {
			t.Fatalf("deleted channel: %d", code)
		}

		// Secrets never come back.
		var srcOut map[string]any
		m.call(t, admin, "GET", fmt.Sprintf("/api/v1/sources/%d", src.ID), "", &srcOut)
		if b, _ := json.Marshal(srcOut); strings.Contains(string(b), "super-secret-token") {
			t.Fatal("a source secret came back from the API")
		}
	})
}

// TestCLIMonitoring runs `assay import`, `assay source add|list` and
// `assay check list|run` on a data folder.
func TestCLIMonitoring(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if _, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "root@example.com", "--name", "Root",
		"--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	plan, err := os.ReadFile(filepath.Join("..", "..", "monitor", "collect", "terraform", "testdata", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(file, plan, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "", "--data", data, "import", "terraform", file, "--source", "Prod infra")
	if err != nil || !strings.Contains(out, `Source 1 "Prod infra" (terraform) created.`) || !strings.Contains(out, "Prod infra: run 1:") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// Again: the same source, a second run.
	if out, err = runCLI(t, "", "--data", data, "import", "terraform", file, "--source", "Prod infra"); err != nil || strings.Contains(out, "created") ||
		!strings.Contains(out, "run 2:") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "import", "nope", file); err == nil {
		t.Fatalf("unknown kind imported:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte("{not json"), 0o600)
	if out, err = runCLI(t, "", "--data", data, "import", "terraform", bad, "--source", "Prod infra"); err == nil {
		t.Fatalf("a broken document imported:\n%s", out)
	}

	out, err = runCLI(t, "", "--data", data, "check", "list", "--failing", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Checks []struct {
			ID, Status string
			Failing    int
		}
		Count int
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if list.Count == 0 || list.Count != len(list.Checks) {
		t.Fatalf("no failing checks after importing the plan: %s", out)
	}
	for _, c := range list.Checks {
		if c.Status != "failing" || c.Failing == 0 || !strings.HasPrefix(c.ID, "tf-") {
			t.Fatalf("--failing listed %+v", c)
		}
	}
	if out, err = runCLI(t, "", "--data", data, "check", "list"); err != nil || !strings.Contains(out, "http-hsts-enabled") || !strings.Contains(out, "no_data") {
		t.Fatalf("check list: %v\n%s", err, out)
	}

	out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "http", "--name", "API", "--set", "url=https://127.0.0.1:1", "--secret", "token=abc123456", "--interval", "30")
	if err != nil || !strings.Contains(out, `Source 2 "API" (http) added; it runs every 30 minutes.`) || !strings.Contains(out, "Secrets sealed: token.") {
		t.Fatalf("source add: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "nope", "--name", "X"); err == nil {
		t.Fatalf("unknown kind added:\n%s", out)
	}
	out, err = runCLI(t, "", "--data", data, "source", "list")
	if err != nil || !strings.Contains(out, "Prod infra") || !strings.Contains(out, "token (set)") || strings.Contains(out, "abc123456") {
		t.Fatalf("source list: %v\n%s", err, out)
	}
	// Running the unreachable source: a recorded error run, a failing command.
	out, err = runCLI(t, "", "--data", data, "check", "run", "--source", "API")
	if err == nil || !strings.Contains(out, "API: run 3 failed") {
		t.Fatalf("check run on a dead endpoint: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "check", "run", "--source", "Prod infra"); err != nil || !strings.Contains(out, "Prod infra: run 4:") {
		t.Fatalf("check run: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "check", "test", "--help"); err != nil {
		t.Fatalf("check test is not wired: %v\n%s", err, out)
	}
}
