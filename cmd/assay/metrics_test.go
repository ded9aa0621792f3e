package main

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/runner"
)

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("scrape %s: %d\n%s", url, resp.StatusCode, b)
	}
	return string(b)
}

func TestMetricsAreOffUnlessAskedFor(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	if m.MetricsURL() != "" {
		t.Fatalf("metrics served at %s without being asked", m.MetricsURL())
	}
	if code, _, _ := m.get(t, "", "/metrics"); code != 404 {
		t.Fatalf("/metrics on the public address: %d", code)
	}
}

func TestMetricsScrape(t *testing.T) {
	t.Parallel()
	m := startMainWith(t, false, func(c *Config) { c.MetricsAddr = "127.0.0.1:0" })
	if !strings.HasPrefix(m.MetricsURL(), "http://127.0.0.1:") {
		t.Fatalf("metrics URL %q", m.MetricsURL())
	}
	orgID, tok := m.orgWithAdmin(t, "Acme")
	for _, p := range []string{"/api/v1/controls", "/api/v1/controls/ACC-01", "/api/v1/controls/ACC-02", "/no/such/page"} {
		m.get(t, tok, p)
	}
	// A probe: the http collector against a test server.
	ctx := context.Background()
	target := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	target.Config.ErrorLog = log.New(io.Discard, "", 0)
	target.StartTLS()
	defer target.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: target.Certificate().Raw}))
	org := m.Store.Org(orgID)
	src, err := runner.Service{Runner: m.Runner}.CreateSource(ctx, org, assay.SystemActor, assay.Source{Name: "API", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": target.URL, "ca_pem": ca}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := m.Runner.RunSource(ctx, org, src.ID, assay.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := m.Store.LedgerSize(ctx)
	if err != nil || entries == 0 {
		t.Fatalf("ledger size %d, %v", entries, err)
	}

	body := scrape(t, m.MetricsURL())
	for _, want := range []string{
		`assay_http_request_duration_seconds_count{route="GET /api/v1/controls",status="2xx"} 1`,
		`assay_http_request_duration_seconds_count{route="GET /api/v1/controls/{id}",status="2xx"} 2`,
		`assay_http_request_duration_seconds_count{route="/",status="4xx"} 1`, // the pages' catch-all, whatever the path
		`assay_monitoring_runs_total{kind="http",status="` + run.Status + `"} 1`,
		`assay_monitoring_run_duration_seconds_count{kind="http"} 1`,
		`assay_monitoring_last_run_results{kind="http",org="` + itoa(orgID) + `",result="pass",source="` + itoa(src.ID) + `"} ` + itoa(int64(run.Pass)),
		`assay_monitoring_last_run_results{kind="http",org="` + itoa(orgID) + `",result="fail",source="` + itoa(src.ID) + `"} ` + itoa(int64(run.Fail)),
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	// The ledger gauge is read at scrape time: at least the entries counted
	// before (the scrape may see more).
	got := regexp.MustCompile(`(?m)^assay_ledger_entries (\d+)$`).FindStringSubmatch(body)
	if got == nil || atoi(got[1]) < entries {
		t.Errorf("assay_ledger_entries = %v, want at least %d", got, entries)
	}
	// Nothing secret or personal is labelled: no URLs, no emails.
	if strings.Contains(body, "admin@") || strings.Contains(body, target.URL) {
		t.Error("the scrape carries an email or a source's URL")
	}
	if t.Failed() {
		t.Log(body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func atoi(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
