package devices

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/device.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func day(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

// roster is the organisation's people: Ada and Bo work here, Tomás left
// last month, Joiner starts next week.
func roster(context.Context) ([]assay.Person, error) {
	return []assay.Person{
		{Email: "ada@example.com", Status: assay.PersonActive, StartDate: day("2020-01-01")},
		{Email: "Bo@example.com", Status: assay.PersonActive},
		{Email: "tomas@example.com", Status: assay.PersonDeparted, EndDate: day("2026-11-06")},
		{Email: "joiner@example.com", Status: assay.PersonUpcoming},
	}, nil
}

func fleetConfig(f *fakeFleet) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingFleetURL: f.srv.URL, SettingMinOS: "macOS=15.5, Windows=10.0.26100, Ubuntu=24.04"},
		Secrets: map[string]string{SecretFleetAPI: f.token}, People: roster}
}

func fleetCollector(s *collecttest.Sleeps) *Fleet {
	return &Fleet{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func byID(res []assay.Resource) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, r := range res {
		m[r.ID] = r.Attrs
	}
	return m
}

func TestFleetHostsThroughRateLimitsPagesAndTheRoster(t *testing.T) {
	f := exampleFleet(t)
	f.perPage = 0
	f.inject = []func(http.ResponseWriter){
		fleetFail(http.StatusTooManyRequests, "Too many requests", "rate limited", "Retry-After", "5"),
		fleetFail(http.StatusBadGateway, "Bad gateway", "upstream"),
	}
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := fleetConfig(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := fleetCollector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 || len(s.All()) != 2 || s.All()[0] != 5*time.Second || s.All()[1] != time.Second {
		t.Errorf("%d without the token; waits %v", f.badAuth, s.All())
	}
	m := byID(res)
	for _, r := range res {
		collecttest.SameKeys(t, library, r)
	}
	if len(res) != 5 {
		t.Fatalf("%d devices, want 5 (one serial twice, one without a serial): %v", len(res), m)
	}
	if a := m["c02ada0001"]; a["disk_encryption"] != Yes || a["os_version"] != "macOS 15.5" || a["screen_lock"] != Yes || a["owner_status"] != "active" ||
		a["last_seen_days"] != int64(0) || a["managed"] != true {
		t.Errorf("ada's Mac (the later check-in wins): %v", a)
	}
	if a := m["pf3bo0002"]; a["disk_encryption"] != No || a["firewall"] != No || a["screen_lock"] != Yes || a["os_up_to_date"] != No || a["owner_email"] != "bo@example.com" {
		t.Errorf("bo's laptop: %v", a)
	}
	if a := m["vmw-0003"]; a["disk_encryption"] != Unknown || a["owner_status"] != OwnerNone || a["os_up_to_date"] != No || a["last_seen_days"] != int64(128) || a["managed"] != false {
		t.Errorf("build box: %v", a)
	}
	if a := m["c02tom0004"]; a["owner_status"] != "departed" || a["owner_email"] != "tomas@example.com" {
		t.Errorf("tomás's Mac: %v", a)
	}
	if a := m["fleet-host-6"]; a["managed"] != false {
		t.Errorf("kiosk: %v", a)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Rows != 5 || strings.Contains(string(kept), f.token) {
		t.Errorf("provenance: %v %+v", err, doc.Rows)
	}
	if n := strings.Join(notes.List(), "\n"); !strings.Contains(n, "abc123") || !strings.Contains(n, FleetVersion) {
		t.Errorf("notes: %s", n)
	}
}

func TestFleetFollowsPagesToTheEnd(t *testing.T) {
	f := exampleFleet(t)
	for i := 0; i < 1200; i++ {
		f.hosts = append(f.hosts, fleetHostJSON(100+i, "h", "SER"+strconv.Itoa(i), "darwin", "macOS 15.5", "2026-12-07T10:00:00Z", true, nil, "", nil))
	}
	res, err := fleetCollector(&collecttest.Sleeps{}).Collect(context.Background(), fleetConfig(f))
	if err != nil || len(res) != 5+1200 {
		t.Fatalf("%d devices, %v", len(res), err)
	}
	if n := f.count("GET /api/v1/fleet/hosts?"); n != 3 {
		t.Errorf("%d pages asked, want 3 of 500", n)
	}
}

func TestFleetRefusalsFailTheRun(t *testing.T) {
	f := exampleFleet(t)
	f.inject = []func(http.ResponseWriter){fleetFail(http.StatusForbidden, "forbidden", "forbidden")}
	res, err := fleetCollector(&collecttest.Sleeps{}).Collect(context.Background(), fleetConfig(f))
	if err == nil || res != nil || !errors.Is(err, apiclient.ErrPartial) || !strings.Contains(err.Error(), "Observer role") {
		t.Fatalf("%v, %d devices", err, len(res))
	}
	f = exampleFleet(t)
	fail := fleetFail(http.StatusServiceUnavailable, "unavailable", "down")
	f.inject = []func(http.ResponseWriter){fail, fail, fail, fail, fail}
	if res, err := fleetCollector(&collecttest.Sleeps{}).Collect(context.Background(), fleetConfig(f)); err == nil || res != nil || !errors.Is(err, apiclient.ErrPartial) {
		t.Fatalf("a page that keeps failing: %v, %d devices", err, len(res))
	}
}

func TestDeviceChecksJudgeFleetHosts(t *testing.T) {
	collecttest.Library(t, library)
	f := exampleFleet(t)
	res, err := fleetCollector(&collecttest.Sleeps{}).Collect(context.Background(), fleetConfig(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "device-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"device-disk-encrypted c02ada0001":          assay.CheckPass,
		"device-disk-encrypted pf3bo0002":           assay.CheckFail,
		"device-disk-encrypted vmw-0003":            assay.CheckFail,
		"device-screen-lock pf3bo0002":              assay.CheckPass,
		"device-screen-lock vmw-0003":               assay.CheckFail,
		"device-firewall-on c02ada0001":             assay.CheckPass,
		"device-firewall-on pf3bo0002":              assay.CheckFail,
		"device-os-up-to-date c02ada0001":           assay.CheckPass,
		"device-os-up-to-date pf3bo0002":            assay.CheckFail,
		"device-checked-in-30-days c02ada0001":      assay.CheckPass,
		"device-checked-in-30-days vmw-0003":        assay.CheckFail,
		"device-owner-on-roster c02ada0001":         assay.CheckPass,
		"device-owner-on-roster vmw-0003":           assay.CheckFail,
		"device-departed-owner-returned c02tom0004": assay.CheckFail,
		"device-departed-owner-returned c02ada0001": assay.CheckPass,
		"device-mdm-managed c02ada0001":             assay.CheckPass,
		"device-mdm-managed fleet-host-6":           assay.CheckFail,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}

func TestFleetValidateAndPlan(t *testing.T) {
	c := NewFleet(&assay.FixedClock{T: now})
	for field, cfg := range map[string]monitor.Config{
		SettingFleetURL: {Settings: map[string]string{SettingFleetURL: "fleet.example.com"}, Secrets: map[string]string{SecretFleetAPI: "x"}},
		SecretFleetAPI:  {Settings: map[string]string{SettingFleetURL: "https://fleet.example.com"}},
		SettingMinOS:    {Settings: map[string]string{SettingFleetURL: "https://fleet.example.com", SettingMinOS: "macOS fifteen"}, Secrets: map[string]string{SecretFleetAPI: "x"}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	lines, err := c.(monitor.Planner).Plan(monitor.Config{Settings: map[string]string{SettingFleetURL: "https://fleet.example.com/"}})
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "GET https://fleet.example.com/api/v1/fleet/hosts?device_mapping=true&order_key=id&page=0&per_page=500&populate_policies=true") {
		t.Errorf("plan: %v %q", err, lines)
	}
}
