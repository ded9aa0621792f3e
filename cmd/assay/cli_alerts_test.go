package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/alert"
)

// TestCLIAlerts: alert channels from the command line, through the
// services the web calls: a webhook added with a sealed secret, tested
// against a real local receiver that checks the signature, changed and
// removed; a member is refused and bad input adds nothing.
func TestCLIAlerts(t *testing.T) {
	t.Parallel()
	data := migratedDataDir(t) // data_template_test.go
	var mu sync.Mutex
	var got []string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("X-Assay-Timestamp")
		if !alert.Verify([]byte("hook secret"), ts, body, r.Header.Get("X-Assay-Signature")) {
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, string(body))
		mu.Unlock()
	}))
	defer receiver.Close()

	cli := func(args ...string) (string, error) {
		t.Helper()
		return runCLI(t, "a long passphrase\n", append([]string{"--data", data}, args...)...)
	}
	must := func(args ...string) string {
		t.Helper()
		out, err := cli(args...)
		if err != nil {
			t.Fatalf("assay %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	must("user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin")
	must("user", "create", "--role", "member", "--email", "mo@example.com", "--name", "Mo", "--password-stdin")

	// Refusals and bad input add nothing.
	if _, err := cli("alert", "add", "--kind", "webhook", "--name", "Ops", "--set", "url="+receiver.URL, "--secret", "secret=hook secret", "--as", "mo@example.com"); err == nil ||
		!strings.Contains(err.Error(), "Only admins") {
		t.Fatalf("a member added a channel: %v", err)
	}
	if _, err := cli("alert", "add", "--kind", "pager", "--name", "Ops"); err == nil {
		t.Fatal("an unknown kind was accepted")
	}
	if _, err := cli("alert", "add", "--kind", "webhook", "--name", "Ops", "--set", "url="+receiver.URL); err == nil {
		t.Fatal("a webhook without its signing secret was accepted")
	}
	if _, err := cli("alert", "add", "--kind", "webhook", "--name", "Ops", "--set", "url"); err == nil {
		t.Fatal("a --set without a value was accepted")
	}
	var list struct {
		Channels []assay.AlertChannel `json:"channels"`
		Count    int                  `json:"count"`
	}
	if err := json.Unmarshal([]byte(must("alert", "list", "--json")), &list); err != nil || list.Count != 0 {
		t.Fatalf("channels after refusals: %v %+v", err, list)
	}

	var c assay.AlertChannel
	out := must("alert", "add", "--kind", "webhook", "--name", "Ops", "--set", "url="+receiver.URL, "--secret", "secret=hook secret", "--json")
	if err := json.Unmarshal([]byte(out), &c); err != nil || c.ID == 0 || !c.Enabled || len(c.SecretKeys) != 1 || strings.Contains(out, "hook secret") {
		t.Fatalf("alert add --json: %v\n%s", err, out)
	}
	if out := must("alert", "list"); !strings.Contains(out, "Ops") || !strings.Contains(out, "secret") || strings.Contains(out, "hook secret") {
		t.Fatalf("alert list:\n%s", out)
	}
	if _, err := cli("alert", "test", "1", "--as", "mo@example.com"); err == nil {
		t.Fatal("a member sent a test")
	}
	if out := must("alert", "test", "1"); !strings.Contains(out, "Test message sent to Ops") {
		t.Fatalf("alert test:\n%s", out)
	}
	mu.Lock()
	n := len(got)
	first := ""
	if n > 0 {
		first = got[0]
	}
	mu.Unlock()
	if n != 1 || !strings.Contains(first, "test-alert") {
		t.Fatalf("the receiver got %d messages: %s", n, first)
	}

	// A wrong secret: the receiver refuses, the test reports it.
	must("alert", "update", "1", "--secret", "secret=wrong", "--name", "Ops 2")
	if _, err := cli("alert", "test", "1"); err == nil || !strings.Contains(err.Error(), "could not be delivered") {
		t.Fatalf("a refused test: %v", err)
	}
	if out := must("alert", "update", "1", "--disable", "--json"); !strings.Contains(out, `"enabled": false`) || !strings.Contains(out, "Ops 2") {
		t.Fatalf("alert update:\n%s", out)
	}
	if _, err := cli("alert", "delete", "1", "--as", "mo@example.com"); err == nil {
		t.Fatal("a member removed a channel")
	}
	must("alert", "delete", "1")
	if err := json.Unmarshal([]byte(must("alert", "list", "--json")), &list); err != nil || list.Count != 0 {
		t.Fatalf("channels after delete: %v %+v", err, list)
	}
}
