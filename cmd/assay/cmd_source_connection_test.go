package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// The API adds sources of the new live kinds with their secrets sealed,
// and "test connection" collects once without recording a run: a Fleet
// server that answers gives OK and a count; an Entra tenant whose token
// endpoint refuses the secret gives its message, never the secret.
func TestNewLiveSourcesAndTestConnectionThroughTheAPI(t *testing.T) {
	t.Parallel()
	fleet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fleet-api-77" || r.URL.Path != "/api/v1/fleet/hosts" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Authentication required","errors":[{"name":"base","reason":"Authentication required"}]}`)
			return
		}
		fmt.Fprint(w, `{"hosts":[{"id":1,"display_name":"Ada-MBP","hardware_serial":"C02ADA","platform":"darwin","os_version":"macOS 15.5",`+
			`"seen_time":"2026-12-01T00:00:00Z","disk_encryption_enabled":true,"policies":[],"device_mapping":[]}]}`)
	}))
	defer fleet.Close()
	entra := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`)
	}))
	defer entra.Close()

	m := startMain(t, false, false)
	_, admin := m.orgWithAdmin(t, "Device Co")
	add := func(body, secret string) assay.Source {
		var raw json.RawMessage
		code := m.call(t, admin, "POST", "/api/v1/sources", body, &raw)
		var src assay.Source
		if err := json.Unmarshal(raw, &src); err != nil || code != http.StatusCreated || strings.Contains(string(raw), secret) {
			t.Fatalf("add %s: %d %s", body, code, raw)
		}
		return src
	}
	fl := add(`{"name":"Fleet","kind":"fleet","settings":{"url":"`+fleet.URL+`"},"secrets":{"token":"fleet-api-77"}}`, "fleet-api-77")
	en := add(`{"name":"Entra","kind":"entra","settings":{"tenant_id":"t1","client_id":"app","graph_url":"`+entra.URL+`","token_url":"`+entra.URL+`/token"},"secrets":{"client_secret":"wr0ng~secret"}}`, "wr0ng~secret")
	add(`{"name":"Google","kind":"google-workspace","settings":{"admin_email":"it@example.com"},"secrets":{"service_account_json":"{\"type\":\"service_account\",\"client_email\":\"a@b.iam.gserviceaccount.com\",\"private_key\":\"k\"}"}}`, "private_key\":\"k")
	jamf := add(`{"name":"Jamf","kind":"jamf","settings":{"min_os_version":"macOS=15.5"}}`, "none")

	var test assay.ConnectionTest
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/test", fl.ID), "", &test); code != http.StatusOK || !test.OK || test.Resources != 1 {
		t.Errorf("fleet test: %d %+v", code, test)
	}
	test = assay.ConnectionTest{}
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/test", en.ID), "", &test); code != http.StatusOK || test.OK ||
		!strings.Contains(test.Message, "AADSTS7000215") || strings.Contains(test.Message, "wr0ng~secret") {
		t.Errorf("entra test: %d %+v", code, test)
	}
	var e apiErr
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/test", jamf.ID), "", &e); code != http.StatusBadRequest {
		t.Errorf("a file source has no connection: %d %+v", code, e)
	}
	var got struct {
		Runs []assay.MonitorRun `json:"runs"`
	}
	m.call(t, admin, "GET", fmt.Sprintf("/api/v1/sources/%d", fl.ID), "", &got)
	if len(got.Runs) != 0 {
		t.Errorf("a connection test recorded %d runs", len(got.Runs))
	}
}
