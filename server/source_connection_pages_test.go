package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// An Entra ID source is added from the Sources page; "Test connection"
// shows what the token endpoint said, without the secret and without
// recording a run; a Jamf export source offers no connection to test.
func TestEntraSourceTestConnectionFromThePage(t *testing.T) {
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'app' was not found in the directory."}`))
	}))
	defer idp.Close()
	s := newMonitorSite(t)
	if _, body := s.get("/monitoring/sources"); !strings.Contains(body, "Microsoft Entra ID") || !strings.Contains(body, "Google Workspace") ||
		!strings.Contains(body, "Fleet (device posture)") || !strings.Contains(body, "Kandji devices export") {
		t.Fatalf("the form lacks the new kinds:\n%s", grepLines(body, "option"))
	}
	form := url.Values{"csrf": {s.csrf()}, "kind": {"entra"}, "name": {"Entra"}, "interval": {"60"},
		"set_tenant_id": {"contoso.onmicrosoft.com"}, "set_client_id": {"app"}, "set_graph_url": {idp.URL}, "set_token_url": {idp.URL + "/token"},
		"secret_client_secret": {"pagesecret~99"}}
	code, body, loc := s.post("/monitoring/sources", form)
	if code != http.StatusSeeOther {
		t.Fatalf("add entra source: %d\n%s", code, grepLines(body, "banner"))
	}
	path := strings.TrimSuffix(loc, "?flash=saved")
	if _, body = s.get(path); !strings.Contains(body, "Test connection") {
		t.Fatal("no Test connection button")
	}
	code, body, _ = s.post(path+"/test", url.Values{"csrf": {s.csrf()}})
	if code != http.StatusOK || !strings.Contains(body, "The connection test failed") || !strings.Contains(body, "AADSTS700016") || strings.Contains(body, "pagesecret~99") {
		t.Fatalf("test connection: %d\n%s", code, grepLines(body, "connection"))
	}
	if strings.Contains(body, "The last run failed") {
		t.Error("the test recorded a run")
	}
	form = url.Values{"csrf": {s.csrf()}, "kind": {"jamf"}, "name": {"Jamf"}, "interval": {"60"}}
	if code, body, loc = s.post("/monitoring/sources", form); code != http.StatusSeeOther {
		t.Fatalf("add jamf source: %d\n%s", code, grepLines(body, "banner"))
	}
	if _, body = s.get(strings.TrimSuffix(loc, "?flash=saved")); strings.Contains(body, "Test connection") {
		t.Error("a file source offers a connection test")
	}
}
