package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// TestAvailabilityPages adds a service and a maintenance window through
// the forms and renders the list, the service page (with its SVG bars and
// chart), the SLA report and its CSV; the JSON API reads the same.
func TestAvailabilityPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/availability", url.Values{"csrf": {csrf}, "name": {"Customer API"}, "kind": {"http"},
		"target": {"https://api.example.com/health"}, "interval": {"60"}, "timeout": {"10"}, "retries": {"2"}, "incident_after": {"300"},
		"sla": {"99.95"}, "expect_status": {"200"}, "enabled": {"1"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/availability/") {
		t.Fatalf("add service: %d %s\n%s", code, loc, body)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/availability/"), "?flash=saved")
	code, body, _ = s.post("/availability", url.Values{"csrf": {csrf}, "name": {"x"}, "kind": {"tcp"}, "target": {"nohost"}, "interval": {"5"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "interval") {
		t.Fatalf("bad service: %d\n%s", code, body)
	}
	code, body, _ = s.post("/availability/"+id+"/maintenance", url.Values{"csrf": {csrf}, "starts_at": {"2026-03-10T22:00"}, "ends_at": {"2026-03-10T23:30"},
		"reason": {"=HYPERLINK(\"http://x\") Database upgrade"}})
	if code != http.StatusSeeOther {
		t.Fatalf("plan maintenance: %d\n%s", code, body)
	}
	for _, p := range []struct {
		path  string
		wants []string
	}{
		{"/availability", []string{"Customer API", "not probed yet", "target 99.95%", `action="/availability"`}},
		{"/availability/" + id, []string{"Customer API", `class="uptime-bars"`, "Latency, last 7 days", "Database upgrade", "Monthly SLA report", `action="/availability/` + id + `/maintenance"`}},
		{"/availability/" + id + "/sla?month=2026-03", []string{"2026-03", "Download CSV", "Database upgrade", "No downtime this month."}},
	} {
		code, body := s.get(p.path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", p.path, code, body)
		}
		for _, w := range p.wants {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q", p.path, w)
			}
		}
		checkCSP(t, p.path, body)
	}
	code, body = s.get("/availability/" + id + "/sla.csv?month=2026-03")
	if code != http.StatusOK || !strings.HasPrefix(body, "service,month,kind,start,end,duration_seconds,incident,detail") ||
		!strings.Contains(body, ",2026-03,maintenance,") || !strings.Contains(body, `"'=HYPERLINK(`) {
		t.Fatalf("csv: %d\n%s", code, body)
	}
	// A window is cancelled through its own service only.
	code, body, loc = s.post("/availability", url.Values{"csrf": {csrf}, "name": {"DNS"}, "kind": {"dns"}, "target": {"example.com"}, "interval": {"60"}, "enabled": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("add dns: %d\n%s", code, body)
	}
	other := strings.TrimSuffix(strings.TrimPrefix(loc, "/availability/"), "?flash=saved")
	if code, body, _ := s.post("/availability/"+other+"/maintenance/1/delete", url.Values{"csrf": {csrf}}); code != http.StatusNotFound {
		t.Fatalf("cancel another service's window: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/availability/"+id+"/maintenance/1/delete", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("cancel the window: %d\n%s", code, body)
	}
	code, body = s.get("/api/v1/services/"+id, "X-CSRF-Token", csrf)
	if code != http.StatusOK || !strings.Contains(body, `"Customer API"`) || !strings.Contains(body, `"1y"`) {
		t.Fatalf("api: %d\n%s", code, body)
	}
}

// TestAvailabilityLocationsShown records results from two named probe
// locations and reads them on the service's page (the locations table
// and the last hour's per-minute chart) and in the API.
func TestAvailabilityLocationsShown(t *testing.T) {
	s := newSite(t)
	org := s.db.Org(s.org.ID)
	svc, err := org.CreateService(context.Background(), assay.SystemActor, assay.Service{Name: "Checkout", Kind: assay.ProbeHTTP,
		Target: "https://checkout.example.com/health", Enabled: true, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	now := s.clock.Now().Truncate(time.Minute)
	for m := 10; m >= 1; m-- {
		for _, r := range []assay.ProbeResult{
			{ServiceID: svc.ID, At: now.Add(-time.Duration(m) * time.Minute), Outcome: assay.OutcomeUp, LatencyMS: 40, Location: "eu-west"},
			{ServiceID: svc.ID, At: now.Add(-time.Duration(m) * time.Minute), Outcome: assay.OutcomeDown, LatencyMS: 900, Location: "ap-south", Error: "timeout after 10s"},
		} {
			if _, err := org.RecordProbe(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
	id := strconv.FormatInt(svc.ID, 10)
	code, body := s.get("/availability/" + id)
	if code != http.StatusOK {
		t.Fatalf("service page: %d\n%s", code, body)
	}
	for _, w := range []string{"Probe locations", "eu-west", "ap-south", "timeout after 10s", "10 in a row", "Latency, last hour (per minute)",
		`aria-label="Per-minute latency, p50 and p95, last hour"`, "100.000%", "0.000%"} {
		if !strings.Contains(body, w) {
			t.Errorf("service page: no %q", w)
		}
	}
	if strings.Contains(body, "badge-unmet\">down</span></h2>") {
		t.Error("a failure seen from one location made the service down")
	}
	code, body = s.get("/api/v1/services/" + id)
	if code != http.StatusOK || !strings.Contains(body, `"location": "ap-south"`) || !strings.Contains(body, `"minutes": [`) || !strings.Contains(body, `"up_percent_24h": 100`) {
		t.Fatalf("api: %d\n%s", code, body)
	}
}
