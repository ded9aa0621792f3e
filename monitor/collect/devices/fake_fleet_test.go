package devices

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeFleet speaks what the collector uses of Fleet's REST API as Fleet
// documents it: Authorization: Bearer, GET /api/v1/fleet/hosts paged by
// page and per_page (zero-based pages), policies and device mapping on each
// host when asked, and errors as {"message","errors":[{"name","reason"}]}.
type fakeFleet struct {
	t     testing.TB
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	inject   []func(http.ResponseWriter)
	requests []string
	badAuth  int
	hosts    []map[string]any
	perPage  int // overrides the page size asked for (0: as asked)
}

func fleetFail(code int, message, reason string, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":%q,"errors":[{"name":"base","reason":%q}],"uuid":"1f6a"}`, message, reason)
	}
}

func (f *fakeFleet) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.badAuth++
		f.mu.Unlock()
		fleetFail(http.StatusUnauthorized, "Authentication required", "Authentication required")(w)
		return
	}
	if len(f.inject) > 0 {
		a := f.inject[0]
		f.inject = f.inject[1:]
		f.mu.Unlock()
		a(w)
		return
	}
	f.mu.Unlock()
	if r.URL.Path != "/api/v1/fleet/hosts" {
		fleetFail(http.StatusNotFound, "Resource Not Found", "not found")(w)
		return
	}
	q := r.URL.Query()
	page, err1 := strconv.Atoi(q.Get("page"))
	per, err2 := strconv.Atoi(q.Get("per_page"))
	if err1 != nil || err2 != nil || q.Get("populate_policies") != "true" || q.Get("device_mapping") != "true" {
		fleetFail(http.StatusUnprocessableEntity, "Validation Failed", "page, per_page, populate_policies and device_mapping expected")(w)
		return
	}
	if f.perPage > 0 {
		per = f.perPage
	}
	from := min(page*per, len(f.hosts))
	to := min(from+per, len(f.hosts))
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]any{"hosts": f.hosts[from:to], "software": nil}); err != nil {
		f.t.Error(err)
	}
}

func (f *fakeFleet) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func fleetHostJSON(id int, name, serial, platform, osVersion, seen string, encrypted any, mdm any, owner string, policies map[string]string) map[string]any {
	ps := []map[string]any{}
	i := 0
	for n, resp := range policies {
		i++
		ps = append(ps, map[string]any{"id": i, "name": n, "query": "SELECT 1;", "critical": false, "response": resp})
	}
	dm := []map[string]any{}
	if owner != "" {
		dm = append(dm, map[string]any{"email": "chrome-" + owner, "source": "google_chrome_profiles"}, map[string]any{"email": owner, "source": "idp"})
	}
	return map[string]any{"id": id, "hostname": strings.ToLower(name) + ".local", "display_name": name, "computer_name": name,
		"platform": platform, "os_version": osVersion, "hardware_serial": serial, "seen_time": seen, "status": "online",
		"disk_encryption_enabled": encrypted, "mdm": mdm, "policies": ps, "device_mapping": dm}
}

// exampleFleet is a small fleet: an encrypted, locked, patched Mac; a
// Windows laptop without BitLocker or a firewall; a Linux box nobody owns
// that reports no encryption; a Mac of someone who left; one host listed
// twice (Fleet re-enrolled it) and one whose serial is empty.
func exampleFleet(t testing.TB) *fakeFleet {
	f := &fakeFleet{t: t, token: "fleet-tok-123"}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	on := map[string]any{"enrollment_status": "On (automatic)", "name": "Fleet", "server_url": "https://fleet.example.com/mdm/apple/mdm"}
	off := map[string]any{"enrollment_status": "Off", "name": ""}
	all := map[string]string{"Full disk encryption enabled (FileVault)": "pass", "Screen lock enabled": "pass", "Firewall enabled": "pass", "Operating system up to date": "pass"}
	f.hosts = []map[string]any{
		fleetHostJSON(1, "Ada-MBP", "C02ADA0001", "darwin", "macOS 15.5", "2026-12-07T10:00:00Z", true, on, "ada@example.com", all),
		fleetHostJSON(2, "BO-LAPTOP", "PF3BO0002", "windows", "Windows 11 Pro 23H2 10.0.22631", "2026-12-06T10:00:00Z", false, on, "bo@example.com",
			map[string]string{"BitLocker encryption enabled": "fail", "Windows firewall on": "fail", "Screen lock after 15 minutes": "pass"}),
		fleetHostJSON(3, "build-01", "VMW-0003", "ubuntu", "Ubuntu 22.04.4 LTS", "2026-08-01T10:00:00Z", nil, nil, "", nil),
		fleetHostJSON(4, "Tomas-MBP", "C02TOM0004", "darwin", "macOS 14.6.1", "2026-12-05T10:00:00Z", true, on, "Tomas@Example.com", all),
		fleetHostJSON(5, "Ada-MBP", "C02ADA0001", "darwin", "macOS 15.4", "2026-11-01T10:00:00Z", false, on, "ada@example.com", nil),
		fleetHostJSON(6, "kiosk", "", "darwin", "macOS 15.5", "2026-12-07T10:00:00Z", true, off, "", nil),
	}
	return f
}
