package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLISourceTest: `assay source test` collects a live source once
// against a real server and says so; against an address nobody answers it
// fails with the collector's message; a file source has no connection.
func TestCLISourceTest(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/health"
	ln.Close()

	data := filepath.Join(t.TempDir(), "data")
	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "", append([]string{"--data", data}, args...)...)
	}
	if _, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	for _, add := range [][]string{
		{"source", "add", "--kind", "http", "--name", "Site", "--set", "url=" + srv.URL + "/health"},
		{"source", "add", "--kind", "http", "--name", "Gone", "--set", "url=" + closed},
		{"source", "add", "--kind", "jamf", "--name", "Jamf"},
	} {
		if out, err := cli(add...); err != nil {
			t.Fatalf("%v: %v\n%s", add, err, out)
		}
	}
	if out, err := cli("source", "test", "Site"); err != nil || !strings.Contains(out, "Site: Connected") {
		t.Fatalf("test a reachable source: %v\n%s", err, out)
	}
	if out, err := cli("source", "test", "site", "--json"); err != nil || !strings.Contains(out, `"ok": true`) {
		t.Fatalf("test --json: %v\n%s", err, out)
	}
	out, err := cli("source", "test", "Gone")
	if err == nil || !strings.Contains(err.Error(), "connection test failed") || !strings.Contains(out, "Gone: ") {
		t.Fatalf("test an unreachable source: %v\n%s", err, out)
	}
	if _, err := cli("source", "test", "Jamf"); err == nil || !strings.Contains(err.Error(), "no connection to test") {
		t.Fatalf("test a file source: %v", err)
	}
	if _, err := cli("source", "test", "Nope"); err == nil || !strings.Contains(err.Error(), `no source named "Nope"`) {
		t.Fatalf("test an unknown source: %v", err)
	}
	list, err := cli("source", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 4 && (f[1] == "Site" || f[1] == "Gone") && f[4] != "never" {
			t.Errorf("a connection test recorded a run: %s", line)
		}
	}
}
