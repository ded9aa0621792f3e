package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// An AWS source is added from the Sources page with its two keys;
// "Test connection" signs its first request with the access key and shows
// what STS answered about it, never the secret key, without recording a run.
func TestAWSSourceTestConnectionFromThePage(t *testing.T) {
	keyID := ""
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=") {
			keyID, _, _ = strings.Cut(strings.TrimPrefix(a, "AWS4-HMAC-SHA256 Credential="), "/")
		}
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>` +
			`<Message>The security token included in the request is invalid.</Message></Error><RequestId>4c8f0d2e-0000-4000-8000-000000000001</RequestId></ErrorResponse>`))
	}))
	defer sts.Close()
	s := newMonitorSite(t)
	if _, body := s.get("/monitoring/sources"); !strings.Contains(body, "AWS account") || !strings.Contains(body, "Roles to assume") {
		t.Fatalf("the form lacks the aws kind:\n%s", grepLines(body, "option"))
	}
	form := url.Values{"csrf": {s.csrf()}, "kind": {"aws"}, "name": {"AWS"}, "interval": {"60"},
		"set_regions": {"us-east-1,eu-west-1"}, "set_endpoint": {sts.URL},
		"secret_access_key_id": {"AKIAPAGETEST00000001"}, "secret_secret_access_key": {"page/s3cret+99"}}
	code, body, loc := s.post("/monitoring/sources", form)
	if code != http.StatusSeeOther {
		t.Fatalf("add aws source: %d\n%s", code, grepLines(body, "banner"))
	}
	path := strings.TrimSuffix(loc, "?flash=saved")
	if _, body = s.get(path); !strings.Contains(body, "Test connection") || strings.Contains(body, "page/s3cret+99") {
		t.Fatal("no Test connection button, or the secret shown")
	}
	code, body, _ = s.post(path+"/test", url.Values{"csrf": {s.csrf()}})
	if code != http.StatusOK || !strings.Contains(body, "The connection test failed") || !strings.Contains(body, "InvalidClientTokenId") ||
		strings.Contains(body, "page/s3cret+99") || keyID != "AKIAPAGETEST00000001" {
		t.Fatalf("test connection: %d, key %q\n%s", code, keyID, grepLines(body, "connection"))
	}
	if strings.Contains(body, "The last run failed") {
		t.Error("the test recorded a run")
	}
}
