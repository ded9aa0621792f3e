package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// runCollect runs `assay collect ...` through newCollectCmd directly.
func runCollect(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newCollectCmd(&globals{})
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// hostTree writes a small host: sshd allowing root login, a firewall.
func hostTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"etc/hostname":           "build-7\n",
		"etc/ssh/sshd_config":    "PermitRootLogin yes\nPasswordAuthentication no\n",
		"etc/ufw/ufw.conf":       "ENABLED=yes\n",
		"etc/default/ufw":        "DEFAULT_INPUT_POLICY=\"DROP\"\n",
		"etc/login.defs":         "PASS_MAX_DAYS 30\n",
		"proc/mounts":            "/dev/vda1 / ext4 rw 0 0\n",
		"etc/chrony/chrony.conf": "pool pool.ntp.org\n",
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestCollectHostStdout(t *testing.T) {
	t.Parallel()
	out, err := runCollect(t, "host", "--root", hostTree(t))
	if err != nil {
		t.Fatal(err)
	}
	var res []assay.Resource
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not a JSON list: %v\n%s", err, out)
	}
	if len(res) != 7 {
		t.Fatalf("%d resources", len(res))
	}
	kinds := map[string]assay.Resource{}
	for _, r := range res {
		kinds[r.Kind] = r
	}
	sshd := kinds["host.sshd"]
	if sshd.Name != "build-7" || sshd.ID != "build-7/host.sshd" || sshd.Attrs["permit_root_login"] != "yes" || sshd.Attrs["password_authentication"] != false {
		t.Errorf("sshd %+v", sshd)
	}
	if fw := kinds["host.firewall"]; fw.Attrs["enabled"] != true || fw.Attrs["default_input_policy"] != "drop" {
		t.Errorf("firewall %+v", fw)
	}
	if pw := kinds["host.passwords"]; pw.Attrs["pass_max_days"] != float64(30) {
		t.Errorf("passwords %+v", pw)
	}

	// --hostname overrides /etc/hostname.
	out, err = runCollect(t, "host", "--root", hostTree(t), "--hostname", "edge-1")
	if err != nil || !strings.Contains(out, `"edge-1/host.audit"`) {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestCollectHostPush(t *testing.T) {
	t.Parallel()
	type got struct {
		path, auth, ctype string
		body              struct {
			Resources []assay.Resource `json:"resources"`
		}
	}
	calls := make(chan got, 1)
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var g got
		g.path, g.auth, g.ctype = r.URL.EscapedPath(), r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		if err := json.NewDecoder(r.Body).Decode(&g.body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		calls <- g
		w.WriteHeader(status)
		if status != http.StatusOK {
			_, _ = w.Write([]byte(`{"error":{"code":"forbidden","message":"this token may not push to source src 1"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"accepted":7}`))
	}))
	defer srv.Close()

	out, err := runCollect(t, "host", "--root", hostTree(t), "--push", srv.URL+"/", "--token", "tok-123", "--source", "src 1")
	if err != nil {
		t.Fatal(err)
	}
	g := <-calls
	if g.path != "/api/v1/sources/src%201/resources" || g.auth != "Bearer tok-123" || g.ctype != "application/json" {
		t.Errorf("request %q %q %q", g.path, g.auth, g.ctype)
	}
	if len(g.body.Resources) != 7 || g.body.Resources[0].Name != "build-7" {
		t.Errorf("body %+v", g.body.Resources)
	}
	if !strings.Contains(out, "Pushed 7 resources to source src 1") {
		t.Errorf("output %q", out)
	}

	// A refusal is an error with the server's message and without the token.
	status = http.StatusForbidden
	_, err = runCollect(t, "host", "--root", hostTree(t), "--push", srv.URL, "--token", "tok-123", "--source", "src 1")
	<-calls
	if err == nil || !strings.Contains(err.Error(), "may not push") || strings.Contains(err.Error(), "tok-123") {
		t.Fatalf("refused push: %v", err)
	}
}

func TestCollectHostBadFlags(t *testing.T) {
	t.Parallel()
	root := hostTree(t)
	for _, args := range [][]string{
		{"host", "--root", root, "--push", "http://127.0.0.1:1", "--source", "s"},
		{"host", "--root", root, "--push", "http://127.0.0.1:1", "--token", "t"},
		{"host", "--root", root, "--push", "ftp://x", "--token", "t", "--source", "s"},
		{"host", "--root", root, "--source", "s"},
		{"host", "--root", "relative"},
	} {
		if _, err := runCollect(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		} else if args[len(args)-1] != "relative" && assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, err := runCollect(t, "host", "--root", filepath.Join(root, "missing")); err == nil {
		t.Error("missing root: no error")
	}
}

// End to end: the real program has a host source; `assay collect host
// --push` sends this tree's resources, and the run judges them with the
// library (PermitRootLogin yes fails, PasswordAuthentication no passes).
func TestCollectHostPushToServer(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	_, token := m.orgWithAdmin(t, "Collect Co")
	var src assay.Source
	if code := m.call(t, token, "POST", "/api/v1/sources", `{"name":"build box","kind":"host","settings":{}}`, &src); code != http.StatusCreated {
		t.Fatalf("create source: %d", code)
	}
	id := strconv.FormatInt(src.ID, 10)
	out, err := runCollect(t, "host", "--root", hostTree(t), "--push", m.URL(), "--token", token, "--source", id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Pushed 7 resources to source "+id+": run ") {
		t.Fatalf("output %q", out)
	}
	var detail struct {
		Runs []assay.MonitorRun `json:"runs"`
	}
	m.call(t, token, "GET", "/api/v1/sources/"+id, "", &detail)
	if len(detail.Runs) != 1 || detail.Runs[0].Fail == 0 || detail.Runs[0].Pass == 0 || detail.Runs[0].Errors != 0 {
		t.Fatalf("runs %+v", detail.Runs)
	}

	// A wrong token is refused and the error does not echo it.
	_, err = runCollect(t, "host", "--root", hostTree(t), "--push", m.URL(), "--token", "assay_wrong_token_value", "--source", id)
	if err == nil || strings.Contains(err.Error(), "assay_wrong_token_value") {
		t.Fatalf("wrong token: %v", err)
	}
}
