package catalog

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// goodCheck is a valid library check as JSON-ready data; tests break one
// field at a time.
func goodCheck() map[string]any {
	return map[string]any{
		"id":          "http-hsts",
		"title":       "Endpoints send HSTS",
		"kind":        "http.endpoint",
		"expr":        "r.hsts",
		"severity":    "medium",
		"reason":      "{{.Name}} sends no HSTS header",
		"remediation": "Send Strict-Transport-Security.",
		"controls":    []string{"NET-02"},
		"examples": map[string]any{
			"pass": []any{map[string]any{"kind": "http.endpoint", "id": "https://a", "name": "a", "attrs": map[string]any{"hsts": true}}},
			"fail": []any{map[string]any{"kind": "http.endpoint", "id": "https://b", "name": "b", "attrs": map[string]any{"hsts": false}}},
		},
	}
}

func checksFile(t *testing.T, checks ...map[string]any) *fstest.MapFile {
	t.Helper()
	b, err := json.Marshal(map[string]any{"checks": checks})
	if err != nil {
		t.Fatal(err)
	}
	return &fstest.MapFile{Data: b}
}

func known(id string) bool { return id == "NET-02" || id == "CRY-02" }

func TestLoadChecksValid(t *testing.T) {
	other := goodCheck()
	other["id"], other["controls"] = "http-tls", []string{"CRY-02", "NET-02"}
	fsys := fstest.MapFS{
		"d/http.json": checksFile(t, goodCheck(), other),
		"d/README.md": &fstest.MapFile{Data: []byte("not json")},
	}
	got, err := LoadChecks(fsys, "d", known)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "http-hsts" || got[1].ID != "http-tls" {
		t.Fatalf("checks = %+v", got)
	}
	if len(got[0].Examples.Pass) != 1 || got[0].Examples.Fail[0].Name != "b" || got[0].Severity != "medium" {
		t.Fatalf("check decoded wrongly: %+v", got[0])
	}
}

func TestLoadChecksRejects(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(c map[string]any)
		file  string
		wants string
	}{
		{"wrong prefix", func(c map[string]any) { c["id"] = "pg-hsts" }, "", `must start with "http-"`},
		{"bad id", func(c map[string]any) { c["id"] = "http-HSTS" }, "", "lowercase"},
		{"bad severity", func(c map[string]any) { c["severity"] = "urgent" }, "", `severity "urgent"`},
		{"no title", func(c map[string]any) { c["title"] = " " }, "", "title is required"},
		{"no kind", func(c map[string]any) { delete(c, "kind") }, "", "kind is required"},
		{"no expr", func(c map[string]any) { c["expr"] = "" }, "", "expr is required"},
		{"no reason", func(c map[string]any) { c["reason"] = "" }, "", "reason is required"},
		{"no remediation", func(c map[string]any) { c["remediation"] = "" }, "", "remediation is required"},
		{"no controls", func(c map[string]any) { c["controls"] = []string{} }, "", "at least one control"},
		{"unknown control", func(c map[string]any) { c["controls"] = []string{"XYZ-99"} }, "", `unknown control "XYZ-99"`},
		{"no fail example", func(c map[string]any) {
			c["examples"].(map[string]any)["fail"] = []any{}
		}, "", "one pass and one fail example"},
		{"example of another kind", func(c map[string]any) {
			c["examples"].(map[string]any)["pass"].([]any)[0].(map[string]any)["kind"] = "host.sshd"
		}, "", `examples.pass[0]: kind "host.sshd"`},
		{"unknown field", func(c map[string]any) { c["control"] = "NET-02" }, "", `unknown field "control"`},
		{"custom flag", func(c map[string]any) { c["custom"] = true }, "", "not custom"},
		{"other file prefix", func(c map[string]any) {}, "d/postgres.json", `must start with "pg-"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := goodCheck()
			tc.edit(c)
			file := tc.file
			if file == "" {
				file = "d/http.json"
			}
			_, err := LoadChecks(fstest.MapFS{file: checksFile(t, c)}, "d", known)
			if err == nil || !strings.Contains(err.Error(), tc.wants) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.wants)
			}
			if !strings.Contains(err.Error(), file) {
				t.Fatalf("err %v does not name the file %s", err, file)
			}
		})
	}
}

func TestLoadChecksDuplicateAcrossFiles(t *testing.T) {
	c := goodCheck()
	fsys := fstest.MapFS{
		"d/http.json":  checksFile(t, c),
		"d/http2.json": checksFile(t, c),
	}
	// http2.json's prefix is "http2-", so the copy fails on both counts.
	_, err := LoadChecks(fsys, "d", known)
	if err == nil || !strings.Contains(err.Error(), "id already used in d/http.json") {
		t.Fatalf("err = %v", err)
	}
	_, err = LoadChecks(fstest.MapFS{"d/http.json": checksFile(t, c, c)}, "d", known)
	if err == nil || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("duplicate in one file: err = %v", err)
	}
}

func TestLoadChecksBadJSON(t *testing.T) {
	_, err := LoadChecks(fstest.MapFS{"d/http.json": &fstest.MapFile{Data: []byte(`{"checks": [`)}}, "d", known)
	if err == nil || !strings.Contains(err.Error(), "parse d/http.json") {
		t.Fatalf("err = %v", err)
	}
	if _, err := LoadChecks(fstest.MapFS{}, "d", known); err == nil {
		t.Fatal("a missing folder loaded")
	}
}

// The embedded library must load: ids unique, controls known, examples
// present. (monitor's tests evaluate the examples.)
func TestEmbeddedLibraryLoads(t *testing.T) {
	lib, err := LibraryChecks()
	if err != nil {
		t.Fatal(err)
	}
	list, err := LibraryCheckList()
	if err != nil || len(list) != len(lib) {
		t.Fatalf("LibraryCheckList = %d checks, %v; library has %d", len(list), err, len(lib))
	}
	t.Logf("%d library checks", len(lib))
}
