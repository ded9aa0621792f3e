package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// get fetches path with a token and returns the status, content type and body.
func (m *testMain) get(t *testing.T, token, path string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", m.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func TestAPIExports(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, admin := m.orgWithAdmin(t, "Acme")
		auditor := m.userToken(t, orgID, "auditor@acme.example", assay.RoleAuditor)
		member := m.userToken(t, orgID, "member@acme.example", assay.RoleMember)
		content := bytes.Repeat([]byte("user,role,kept\nsam,admin,yes\n"), 100)
		body, ct := multipartBody(t, field{"kind", "file", ""}, field{"title", "Q1 access review", ""}, field{"controls", "ACC-01", ""},
			field{"file", string(content), "review.csv"})
		if code := m.upload(t, admin, body, ct, int64(body.Len()), nil); code != 201 {
			t.Fatalf("upload: %d", code)
		}

		code, ctype, bundle := m.get(t, auditor, "/api/v1/exports/evidence-bundle.zip")
		if code != 200 || ctype != "application/zip" {
			t.Fatalf("bundle: %d %s %s", code, ctype, bundle)
		}
		path := filepath.Join(t.TempDir(), "bundle.zip")
		if err := os.WriteFile(path, bundle, 0o600); err != nil {
			t.Fatal(err)
		}
		// Offline: no --data, no database.
		out, err := runCLI(t, "", "--data", filepath.Join(t.TempDir(), "nothing-here"), "verify", path, "--key", m.Ledger.VerifierKey)
		if err != nil || !strings.Contains(out, "Everything matches") || !strings.Contains(out, "1 files") {
			t.Fatalf("verify bundle: %v\n%s", err, out)
		}
		if out, err = runCLI(t, "", "verify", path); err != nil || !strings.Contains(out, "Caveat") {
			t.Fatalf("verify without --key: %v\n%s", err, out)
		}
		// A changed byte of the stored file is named.
		i := bytes.Index(bundle, content)
		if i < 0 {
			t.Fatal("the file is not stored as is in the bundle")
		}
		bad := bytes.Clone(bundle)
		bad[i+3] ^= 1
		os.WriteFile(path, bad, 0o600)
		if out, err = runCLI(t, "", "verify", path, "--key", m.Ledger.VerifierKey); err == nil || !strings.Contains(err.Error(), "the file was changed") {
			t.Fatalf("tampered bundle: %v\n%s", err, out)
		}

		if code, ctype, b := m.get(t, admin, "/api/v1/exports/control-matrix.xlsx?from=2026-01-01&to=2026-12-31"); code != 200 ||
			!strings.Contains(ctype, "spreadsheetml") || !bytes.HasPrefix(b, []byte("PK")) {
			t.Fatalf("matrix: %d %s", code, ctype)
		}
		if code, ctype, b := m.get(t, auditor, "/api/v1/exports/oscal.json"); code != 200 || ctype != "application/json" || !bytes.Contains(b, []byte(`"oscal-version": "1.1.3"`)) {
			t.Fatalf("oscal: %d %s", code, ctype)
		}
		if code, _, _ := m.get(t, member, "/api/v1/exports/oscal.json"); code != 403 {
			t.Fatalf("member: %d, want 403", code)
		}
		if code, _, b := m.get(t, admin, "/api/v1/exports/oscal.json?from=2026-05-01&to=2026-04-01"); code != 400 {
			t.Fatalf("backwards period: %d %s", code, b)
		}
		entries, err := m.Store.Org(orgID).Activity(context.Background(), assay.ActivityFilter{ObjectType: "export"})
		if err != nil || len(entries) != 3 || entries[2].Action != "export.create" || entries[2].ObjectID != "evidence-bundle" {
			t.Fatalf("export entries %+v, %v", entries, err)
		}
		if m.Config.DBURL == "" {
			if out, err := runCLI(t, "", "--data", m.Config.DataDir, "verify"); err != nil {
				t.Fatalf("assay verify after exports: %v\n%s", err, out)
			}
		}
	})
}

func TestCLIExport(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	if _, err := runCLI(t, "a long passphrase\n", "--data", data, "user", "create", "--admin", "--email", "root@example.com", "--name", "Root", "--org-name", "Example Inc", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "q1-review.csv")
	os.WriteFile(file, []byte("user,decision\nsam,keep\n"), 0o600)
	if out, err := runCLI(t, "", "--data", data, "evidence", "add", "--control", "ACC-01", "--file", file); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	dir := t.TempDir()
	for _, kind := range []string{"matrix", "bundle", "oscal"} {
		out, err := runCLI(t, "", "--data", data, "export", kind, "--out", filepath.Join(dir, kind), "--as", "root@example.com")
		if err != nil || !strings.Contains(out, "Wrote the") {
			t.Fatalf("export %s: %v\n%s", kind, err, out)
		}
	}
	key, err := runCLI(t, "", "--data", data, "ledger", "key")
	if err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, "bundle"), filepath.Join(dir, "bundle.zip"))
	out, err := runCLI(t, "", "verify", filepath.Join(dir, "bundle.zip"), "--key", lastLine(key))
	if err != nil || !strings.Contains(out, "Everything matches") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", data, "export", "pdf", "--out", filepath.Join(dir, "x")); err == nil {
		t.Fatalf("export pdf succeeded: %s", out)
	}
	if out, err := runCLI(t, "", "--data", data, "verify"); err != nil {
		t.Fatalf("assay verify after exports: %v\n%s", err, out)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
