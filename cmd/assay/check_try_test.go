package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCheckTest(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newCheckTestCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

const tryResources = `[
 {"kind":"http.endpoint","id":"https://api.example.com","name":"api.example.com:443","attrs":{"tls_min":10,"hsts":true}},
 {"kind":"http.endpoint","id":"https://www.example.com","name":"www.example.com:443","attrs":{"tls_min":12,"hsts":true}},
 {"kind":"http.endpoint","id":"https://old.example.com","name":"old.example.com:443","attrs":{"hsts":false}},
 {"kind":"host.sshd","id":"h1","name":"h1","attrs":{"permit_root":true}}
]`

func writeResources(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckTestPrintsEachResult(t *testing.T) {
	t.Parallel()
	path := writeResources(t, tryResources)
	out, err := runCheckTest(t, "", "--expr", "r.tls_min >= 12", "--resource", path,
		"--kind", "http.endpoint", "--reason", "TLS {{.Attrs.tls_min}} accepted on {{.Name}}")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"fail   api.example.com:443: TLS 10 accepted on api.example.com:443",
		"pass   www.example.com:443\n",
		"error  old.example.com:443: ", "tls_min",
		"1 pass, 1 fail, 1 error, 1 skipped (other kinds)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckTestOneResourceFromStdinAsJSON(t *testing.T) {
	t.Parallel()
	one := `{"kind":"host.sshd","id":"h1","name":"bastion","attrs":{"permit_root":true,"port":22.0}}`
	out, err := runCheckTest(t, one, "--expr", "!r.permit_root && r.port == 22", "--resource", "-", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var results []struct {
		Status, Reason, ResourceName string `json:",omitempty"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(results) != 1 || results[0].Status != "fail" || !strings.Contains(results[0].Reason, "bastion") {
		t.Fatalf("results %+v", results)
	}
}

func TestCheckTestCompileErrorExitsWithPosition(t *testing.T) {
	t.Parallel()
	path := writeResources(t, tryResources)
	_, err := runCheckTest(t, "", "--expr", "r.tls_min >= 12 && tls", "--resource", path)
	if err == nil || !strings.Contains(err.Error(), "expr: line 1, column 20: undeclared reference to 'tls'") {
		t.Fatalf("err = %v", err)
	}
	_, err = runCheckTest(t, "", "--expr", "r.tls_min + 1", "--resource", path)
	if err == nil || !strings.Contains(err.Error(), "bool") {
		t.Fatalf("non-bool: err = %v", err)
	}
	_, err = runCheckTest(t, "", "--expr", "true", "--resource", path, "--reason", "{{.Name")
	if err == nil || !strings.Contains(err.Error(), "reason:") {
		t.Fatalf("bad reason: err = %v", err)
	}
}

func TestCheckTestBadResourceFile(t *testing.T) {
	t.Parallel()
	_, err := runCheckTest(t, "", "--expr", "true", "--resource", writeResources(t, `{"kind": 3}`))
	if err == nil || !strings.Contains(err.Error(), "not a resource") {
		t.Fatalf("err = %v", err)
	}
	_, err = runCheckTest(t, "", "--expr", "true", "--resource", writeResources(t, `[{"name":"x"}]`))
	if err == nil || !strings.Contains(err.Error(), "no kind or id") {
		t.Fatalf("err = %v", err)
	}
	_, err = runCheckTest(t, "", "--expr", "true", "--resource", filepath.Join(t.TempDir(), "missing.json"))
	if err == nil {
		t.Fatal("a missing file was accepted")
	}
	if _, err := runCheckTest(t, "", "--resource", "x.json"); err == nil {
		t.Fatal("no --expr accepted")
	}
}
