package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/internal/clocktest"
)

// startMainWith starts the program like startMain, with a change to its
// configuration.
func startMainWith(t *testing.T, pg bool, edit func(*Config)) *testMain {
	t.Helper()
	out := &bytes.Buffer{}
	cfg := Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", PasswordParams: fastParams, Stdout: out, Logger: testLogger(t)}
	if pg {
		cfg.DBURL = freshPostgres(t)
	}
	fresh := cfg.DataDir
	edit(&cfg)
	if cfg.DBURL == "" && cfg.BlobsURL == "" && !cfg.Demo && cfg.DataDir == fresh {
		emptyTemplate.copyTo(t, cfg.DataDir) // a migrated database (data_template_test.go)
	}
	return runMain(t, cfg, out)
}

// runMain runs the program with cfg until the test ends; out is where cfg
// prints.
func runMain(t *testing.T, cfg Config, out *bytes.Buffer) *testMain {
	t.Helper()
	m := NewMain(cfg)
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &testMain{Main: m, out: out}
}

// field is one multipart part, in order; a file when filename is set.
type field struct{ name, value, filename string }

// multipartBody writes the fields in order and returns the body and its
// content type.
func multipartBody(t *testing.T, fields ...field) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		var w io.Writer
		var err error
		if f.filename != "" {
			w, err = mw.CreateFormFile(f.name, f.filename)
		} else {
			w, err = mw.CreateFormField(f.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.value)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// upload posts a multipart body to the API and decodes the answer.
func (m *testMain) upload(t *testing.T, token string, body io.Reader, contentType string, length int64, out any) int {
	t.Helper()
	req, _ := http.NewRequest("POST", m.URL()+"/api/v1/evidence", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	req.ContentLength = length
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("upload: status %d, body is not JSON: %v\n%s", resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode
}

type evidenceJSON struct {
	assay.Evidence
	State string `json:"state"`
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// blobState lists the blobs stored, the stray files under sha256/, and
// the uploads in progress.
func blobState(t *testing.T, dataDir string) (blobs []evidence.Blob, stray []string, tmp int) {
	t.Helper()
	fs, err := evidence.Open(filepath.Join(dataDir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Walk(func(b evidence.Blob) error { blobs = append(blobs, b); return nil }); err != nil {
		t.Fatal(err)
	}
	if stray, err = fs.Stray(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(fs.TempDir())
	return blobs, stray, len(entries)
}

func TestAPIEvidenceUploadAndDownload(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, tok := m.orgWithAdmin(t, "Acme")
		content := bytes.Repeat([]byte("user,role,kept\nsam,admin,yes\n"), 5000)
		body, ct := multipartBody(t, field{"kind", "file", ""}, field{"title", "Q1 access review", ""}, field{"controls", "ACC-01", ""},
			field{"controls", "ACC-02", ""}, field{"period_start", "2026-01-01", ""}, field{"period_end", "2026-02-28", ""},
			field{"valid_days", "92", ""}, field{"file", string(content), "review.csv"})
		var ev evidenceJSON
		if code := m.upload(t, tok, body, ct, int64(body.Len()), &ev); code != 201 {
			t.Fatalf("upload: %d %+v", code, ev)
		}
		if ev.SHA256 != sha(content) || ev.Size != int64(len(content)) || ev.Filename != "review.csv" || strings.Join(ev.Controls, ",") != "ACC-01,ACC-02" ||
			ev.ValidDays != 92 || !strings.HasPrefix(ev.ExpiresAt.Format("2006-01-02"), "2026-05-31") {
			t.Fatalf("uploaded = %+v", ev.Evidence)
		}
		blobs, stray, tmp := blobState(t, m.Config.DataDir)
		if len(blobs) != 1 || blobs[0].SHA256 != ev.SHA256 || len(stray) != 0 || tmp != 0 {
			t.Fatalf("blobs %+v, stray %v, temp %d", blobs, stray, tmp)
		}
		st, err := os.Stat(filepath.Join(m.Config.DataDir, "blobs", "sha256", ev.SHA256[:2], ev.SHA256))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("blob file: %v %v", st, err)
		}

		// Download: the same bytes, as an attachment, with the digest.
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/evidence/%d/content", m.URL(), ev.ID), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, content) || resp.Header.Get("Content-Disposition") != "attachment; filename=review.csv" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Assay-SHA256") != ev.SHA256 {
			t.Fatalf("download: %d, %d bytes, %v", resp.StatusCode, len(got), resp.Header)
		}

		// The same content again: a second record, one blob.
		body, ct = multipartBody(t, field{"controls", "ACC-03", ""}, field{"file", string(content), "copy.csv"})
		var again evidenceJSON
		if code := m.upload(t, tok, body, ct, int64(body.Len()), &again); code != 201 || again.SHA256 != ev.SHA256 || again.ID == ev.ID || again.Title != "copy.csv" {
			t.Fatalf("upload again: %d %+v", code, again)
		}
		if blobs, _, _ := blobState(t, m.Config.DataDir); len(blobs) != 1 {
			t.Fatalf("identical content stored %d times", len(blobs))
		}

		// Links and notes as JSON; attach and detach; filters.
		var link evidenceJSON
		if code := m.call(t, tok, "POST", "/api/v1/evidence", `{"kind":"link","title":"IdP MFA policy","url":"https://idp.example/mfa","controls":["acc-02"],"valid_days":10}`, &link); code != 201 || link.State != "expiring" {
			t.Fatalf("link: %d %+v", code, link)
		}
		var note evidenceJSON
		if code := m.call(t, tok, "POST", "/api/v1/evidence", `{"kind":"note","title":"Correction","note_text":"Fixed a typo.","supersedes":`+fmt.Sprint(again.ID)+`}`, &note); code != 201 || note.Supersedes != again.ID || strings.Join(note.Controls, ",") != "ACC-03" {
			t.Fatalf("note: %d %+v", code, note)
		}
		var moved evidenceJSON
		if code := m.call(t, tok, "POST", fmt.Sprintf("/api/v1/evidence/%d/controls", link.ID), `{"attach":["ACC-04"],"detach":["ACC-02"]}`, &moved); code != 200 || strings.Join(moved.Controls, ",") != "ACC-04" {
			t.Fatalf("attach/detach: %d %+v", code, moved)
		}
		var list struct {
			Evidence []evidenceJSON `json:"evidence"`
			Count    int            `json:"count"`
		}
		for q, want := range map[string]int{"": 3, "?state=all": 4, "?state=superseded": 1, "?control=ACC-02": 1, "?kind=file": 1, "?state=expiring": 1} {
			if code := m.call(t, tok, "GET", "/api/v1/evidence"+q, "", &list); code != 200 || list.Count != want {
				t.Errorf("list %q: %d, %d items, want %d", q, code, list.Count, want)
			}
		}
		var one evidenceJSON
		if code := m.call(t, tok, "GET", fmt.Sprintf("/api/v1/evidence/%d", again.ID), "", &one); code != 200 || one.State != "superseded" || one.SupersededBy != note.ID {
			t.Fatalf("superseded item: %d %+v", code, one)
		}
		// A link has no content to download.
		if code := m.call(t, tok, "GET", fmt.Sprintf("/api/v1/evidence/%d/content", link.ID), "", nil); code != 404 {
			t.Fatalf("content of a link: %d", code)
		}
		// The trail records each addition with its digest.
		acts, _ := m.Store.Org(orgID).Activity(context.Background(), assay.ActivityFilter{ObjectType: "evidence", ObjectID: fmt.Sprint(ev.ID)})
		if len(acts) != 1 || !strings.Contains(string(acts[0].After), ev.SHA256) {
			t.Fatalf("activity for the upload: %+v", acts)
		}
	})
}

// TestAPIEvidenceSizeLimit: an upload over the limit gets a clear 413 and
// leaves nothing behind, whether its size is announced or not.
func TestAPIEvidenceSizeLimit(t *testing.T) {
	t.Parallel()
	m := startMainWith(t, false, func(c *Config) { c.MaxUploadMB = 1 })
	orgID, tok := m.orgWithAdmin(t, "Acme")
	big := strings.Repeat("x", 2<<20)
	for _, announced := range []bool{true, false} {
		body, ct := multipartBody(t, field{"controls", "ACC-01", ""}, field{"file", big, "big.bin"})
		length := int64(body.Len())
		var rd io.Reader = body
		if !announced {
			length = -1
			rd = io.MultiReader(body) // hides the length: sent chunked
		}
		var e apiErr
		if code := m.upload(t, tok, rd, ct, length, &e); code != 413 || e.Error.Code != "too_large" || !strings.Contains(e.Error.Message, "1 MB") {
			t.Fatalf("announced %v: %d %+v", announced, code, e)
		}
	}
	// Exactly at the limit is fine.
	body, ct := multipartBody(t, field{"controls", "ACC-01", ""}, field{"file", big[:1<<20], "limit.bin"})
	if code := m.upload(t, tok, body, ct, int64(body.Len()), nil); code != 201 {
		t.Fatalf("at the limit: %d", code)
	}
	blobs, stray, tmp := blobState(t, m.Config.DataDir)
	if len(blobs) != 1 || blobs[0].Size != 1<<20 || len(stray) != 0 || tmp != 0 {
		t.Fatalf("after refused uploads: blobs %+v, stray %v, temp %d", blobs, stray, tmp)
	}
	items, _ := m.Store.Org(orgID).EvidenceList(context.Background(), assay.EvidenceFilter{State: "all"})
	if len(items) != 1 {
		t.Fatalf("%d evidence records, want 1", len(items))
	}
}

// TestAPIEvidenceBadInput: each bad request gets a clear 400 and changes
// nothing: no record, no blob, no activity.
func TestAPIEvidenceBadInput(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, tok := m.orgWithAdmin(t, "Acme")
		o := m.Store.Org(orgID)
		entries := func() int {
			a, _ := o.Activity(context.Background(), assay.ActivityFilter{Limit: 1000})
			return len(a)
		}
		n := entries()
		jsonCases := []struct{ name, body, field, says string }{
			{"unknown control", `{"kind":"note","title":"x","note_text":"y","controls":["NOPE-1"]}`, "controls", "NOPE-1"},
			{"no control", `{"kind":"note","title":"x","note_text":"y"}`, "controls", "at least one control"},
			{"file as JSON", `{"kind":"file","title":"x","controls":["ACC-01"]}`, "kind", "multipart"},
			{"bad URL", `{"kind":"link","title":"x","url":"javascript:alert(1)","controls":["ACC-01"]}`, "url", "https://"},
			{"no title", `{"kind":"link","url":"https://x.example","controls":["ACC-01"]}`, "title", "title"},
			{"bad date", `{"kind":"note","title":"x","note_text":"y","controls":["ACC-01"],"collected_at":"last tuesday"}`, "collected_at", "2026-03-31"},
			{"future collection", `{"kind":"note","title":"x","note_text":"y","controls":["ACC-01"],"collected_at":"2999-01-01"}`, "collected_at", "future"},
			{"half a period", `{"kind":"note","title":"x","note_text":"y","controls":["ACC-01"],"period_start":"2026-01-01"}`, "period_end", "both"},
			{"valid days", `{"kind":"note","title":"x","note_text":"y","controls":["ACC-01"],"valid_days":99999}`, "valid_days", "between"},
			{"unknown kind", `{"kind":"video","title":"x","controls":["ACC-01"]}`, "kind", "video"},
			{"unknown field", `{"kind":"note","titel":"x"}`, "", "Unknown field"},
			{"supersedes nothing", `{"kind":"note","title":"x","note_text":"y","supersedes":424242}`, "supersedes", "424242"},
			{"request not there", `{"kind":"note","title":"x","note_text":"y","controls":["ACC-01"],"request_id":9999}`, "request_id", "9999"},
		}
		for _, c := range jsonCases {
			var e apiErr
			if code := m.call(t, tok, "POST", "/api/v1/evidence", c.body, &e); code != 400 || e.Error.Field != c.field || !strings.Contains(e.Error.Message, c.says) {
				t.Errorf("%s: %d %+v", c.name, code, e.Error)
			}
		}
		file := field{"file", "some content", "a.txt"}
		multipartCases := []struct {
			name   string
			fields []field
			says   string
		}{
			{"file before the fields", []field{file, field{"controls", "ACC-01", ""}}, "at least one control"},
			{"a field after the file", []field{field{"controls", "ACC-01", ""}, file, field{"title", "late", ""}}, "last part"},
			{"unknown control", []field{field{"controls", "NOPE-1", ""}, file}, "NOPE-1"},
			{"a link with a file", []field{field{"kind", "link", ""}, field{"controls", "ACC-01", ""}, file}, "Only file evidence"},
			{"a file without a file", []field{field{"kind", "file", ""}, field{"controls", "ACC-01", ""}}, "Choose a file"},
			{"bad period", []field{field{"controls", "ACC-01", ""}, field{"period_start", "2026-02-01", ""}, field{"period_end", "2026-01-01", ""}, file}, "ends before"},
		}
		for _, c := range multipartCases {
			body, ct := multipartBody(t, c.fields...)
			var e apiErr
			if code := m.upload(t, tok, body, ct, int64(body.Len()), &e); code != 400 || !strings.Contains(e.Error.Message, c.says) {
				t.Errorf("%s: %d %+v", c.name, code, e.Error)
			}
		}
		var e apiErr
		if code := m.upload(t, tok, strings.NewReader("not multipart"), "multipart/form-data; boundary=zzz", 13, &e); code != 400 {
			t.Errorf("broken multipart: %d %+v", code, e)
		}
		if items, _ := o.EvidenceList(context.Background(), assay.EvidenceFilter{State: "all"}); len(items) != 0 {
			t.Errorf("bad requests created %d evidence records", len(items))
		}
		if got := entries(); got != n {
			t.Errorf("bad requests wrote %d activity entries", got-n)
		}
		blobs, stray, tmp := blobState(t, m.Config.DataDir)
		if len(blobs) != 0 || len(stray) != 0 || tmp != 0 {
			t.Errorf("bad requests left blobs %+v, stray %v, temp %d", blobs, stray, tmp)
		}
	})
}

// TestAPIEvidenceTenancy: one organisation never reads, downloads,
// attaches or answers with another's evidence.
func TestAPIEvidenceTenancy(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgA, tokA := m.orgWithAdmin(t, "Alpha")
		_, tokB := m.orgWithAdmin(t, "Bravo")
		body, ct := multipartBody(t, field{"controls", "ACC-01", ""}, field{"file", "alpha payroll", "payroll.csv"})
		var ev evidenceJSON
		if code := m.upload(t, tokA, body, ct, int64(body.Len()), &ev); code != 201 {
			t.Fatalf("A uploads: %d", code)
		}
		var req struct{ ID int64 }
		if code := m.call(t, tokB, "POST", "/api/v1/evidence-requests", `{"control_id":"ACC-01","assignee_id":0,"due_date":"`+dueSoon+`","description":"x"}`, nil); code != 400 {
			t.Fatalf("B's request with no assignee: %d", code)
		}
		for _, c := range []struct{ method, path, body string }{
			{"GET", fmt.Sprintf("/api/v1/evidence/%d", ev.ID), ""},
			{"GET", fmt.Sprintf("/api/v1/evidence/%d/content", ev.ID), ""},
			{"POST", fmt.Sprintf("/api/v1/evidence/%d/controls", ev.ID), `{"attach":["ACC-02"]}`},
		} {
			if code := m.call(t, tokB, c.method, c.path, c.body, nil); code != 404 {
				t.Errorf("B %s %s: %d, want 404", c.method, c.path, code)
			}
		}
		var e apiErr
		if code := m.call(t, tokB, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"note","title":"x","note_text":"y","supersedes":%d}`, ev.ID), &e); code != 400 {
			t.Errorf("B supersedes A's evidence: %d %+v", code, e)
		}
		var list struct{ Count int }
		m.call(t, tokB, "GET", "/api/v1/evidence?state=all", "", &list)
		if list.Count != 0 {
			t.Errorf("B lists %d of A's items", list.Count)
		}
		// A request of A is invisible to B, and cannot be answered with B's evidence.
		var me struct{ User assay.User }
		m.call(t, tokA, "GET", "/api/v1/me", "", &me)
		if code := m.call(t, tokA, "POST", "/api/v1/evidence-requests", fmt.Sprintf(`{"control_id":"ACC-01","assignee_id":%d,"due_date":"`+dueSoon+`","description":"Show it."}`, me.User.ID), &req); code != 201 {
			t.Fatalf("A asks: %d", code)
		}
		var bNote evidenceJSON
		m.call(t, tokB, "POST", "/api/v1/evidence", `{"kind":"note","title":"B","note_text":"y","controls":["ACC-01"]}`, &bNote)
		for _, c := range []struct{ method, path, body string }{
			{"GET", fmt.Sprintf("/api/v1/evidence-requests/%d", req.ID), ""},
			{"POST", fmt.Sprintf("/api/v1/evidence-requests/%d/submit", req.ID), fmt.Sprintf(`{"evidence_ids":[%d]}`, bNote.ID)},
			{"POST", fmt.Sprintf("/api/v1/evidence-requests/%d/decision", req.ID), `{"decision":"accept","reason":"ok"}`},
		} {
			if code := m.call(t, tokB, c.method, c.path, c.body, nil); code != 404 {
				t.Errorf("B %s %s: %d, want 404", c.method, c.path, code)
			}
		}
		if code := m.call(t, tokA, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/submit", req.ID), fmt.Sprintf(`{"evidence_ids":[%d]}`, bNote.ID), &e); code != 400 {
			t.Errorf("A answers with B's evidence: %d %+v", code, e)
		}
		items, _ := m.Store.Org(orgA).EvidenceList(context.Background(), assay.EvidenceFilter{State: "all"})
		if len(items) != 1 || strings.Join(items[0].Controls, ",") != "ACC-01" {
			t.Errorf("A's evidence after B's attempts: %+v", items)
		}
	})
}

// TestAPIEvidenceRolesAndRequests walks a request from an auditor to a
// member and back, and checks who may do what.
func TestAPIEvidenceRolesAndRequests(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	orgID, admin := m.orgWithAdmin(t, "Acme")
	member := m.userToken(t, orgID, "member@acme.example", assay.RoleMember)
	auditor := m.userToken(t, orgID, "auditor@acme.example", assay.RoleAuditor)
	viewer := m.userToken(t, orgID, "viewer@acme.example", assay.RoleViewer)
	var me struct{ User assay.User }
	m.call(t, member, "GET", "/api/v1/me", "", &me)
	memberID := me.User.ID
	if code := m.call(t, admin, "PATCH", "/api/v1/controls/ACC-01", fmt.Sprintf(`{"owner_id":%d}`, memberID), nil); code != 200 {
		t.Fatal(code)
	}
	note := func(control string) string {
		return `{"kind":"note","title":"n","note_text":"t","controls":["` + control + `"]}`
	}
	cases := []struct {
		name, token, method, path, body string
		want                            int
	}{
		{"viewer lists evidence", viewer, "GET", "/api/v1/evidence", "", 200},
		{"viewer adds evidence", viewer, "POST", "/api/v1/evidence", note("ACC-01"), 403},
		{"auditor adds evidence", auditor, "POST", "/api/v1/evidence", note("ACC-01"), 403},
		{"member adds to own control", member, "POST", "/api/v1/evidence", note("ACC-01"), 201},
		{"member adds to another's", member, "POST", "/api/v1/evidence", note("ACC-02"), 403},
		{"member asks for evidence", member, "POST", "/api/v1/evidence-requests", `{"control_id":"ACC-02","due_date":"` + dueSoon + `","description":"x"}`, 403},
		{"viewer asks for evidence", viewer, "POST", "/api/v1/evidence-requests", `{"control_id":"ACC-02","due_date":"` + dueSoon + `","description":"x"}`, 403},
		{"admin adds anywhere", admin, "POST", "/api/v1/evidence", note("ACC-02"), 201},
	}
	for _, c := range cases {
		var e apiErr
		if code := m.call(t, c.token, c.method, c.path, c.body, &e); code != c.want {
			t.Errorf("%s: %d, want %d (%+v)", c.name, code, c.want, e.Error)
		}
	}
	// A member cannot retire evidence of a control they do not own by superseding it.
	var acc02 struct{ Evidence []evidenceJSON }
	m.call(t, admin, "GET", "/api/v1/evidence?control=ACC-02", "", &acc02)
	if len(acc02.Evidence) != 1 {
		t.Fatalf("ACC-02's evidence: %+v", acc02)
	}
	var e0 apiErr
	if code := m.call(t, member, "POST", "/api/v1/evidence", fmt.Sprintf(`{"kind":"note","title":"mine","note_text":"t","controls":["ACC-01"],"supersedes":%d}`, acc02.Evidence[0].ID), &e0); code != 403 {
		t.Fatalf("member supersedes another's evidence: %d %+v", code, e0)
	}
	// The auditor asks the member for evidence of a control the member does not own.
	var req requestJSON
	if code := m.call(t, auditor, "POST", "/api/v1/evidence-requests", fmt.Sprintf(`{"control_id":"ACC-02","assignee_id":%d,"due_date":"`+dueSoon+`","description":"The MFA report."}`, memberID), &req); code != 201 || req.Status != "open" {
		t.Fatalf("auditor asks: %d %+v", code, req)
	}
	// The member may answer it (only it) with an upload for that control.
	body, ct := multipartBody(t, field{"request_id", fmt.Sprint(req.ID), ""}, field{"response", "Attached.", ""}, field{"file", "mfa report", "mfa.txt"})
	var ev evidenceJSON
	if code := m.upload(t, member, body, ct, int64(body.Len()), &ev); code != 201 || strings.Join(ev.Controls, ",") != "ACC-02" {
		t.Fatalf("member answers with an upload: %d %+v", code, ev)
	}
	m.call(t, auditor, "GET", fmt.Sprintf("/api/v1/evidence-requests/%d", req.ID), "", &req)
	if req.Status != "submitted" || req.Response != "Attached." || len(req.Evidence) != 1 || req.Evidence[0].SHA256 != sha([]byte("mfa report")) {
		t.Fatalf("after the answer: %+v", req)
	}
	var e apiErr
	if code := m.call(t, viewer, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/decision", req.ID), `{"decision":"accept","reason":"ok"}`, &e); code != 403 {
		t.Fatalf("viewer decides: %d", code)
	}
	if code := m.call(t, auditor, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/decision", req.ID), `{"decision":"reject","reason":""}`, &e); code != 400 || e.Error.Field != "reason" {
		t.Fatalf("reject without a reason: %d %+v", code, e)
	}
	if code := m.call(t, auditor, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/decision", req.ID), `{"decision":"return","reason":"It covers February only."}`, &req); code != 200 || req.Status != "returned" {
		t.Fatalf("reject: %d %+v", code, req)
	}
	// Answered again with existing evidence, then accepted.
	if code := m.call(t, member, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/submit", req.ID), fmt.Sprintf(`{"evidence_ids":[%d],"response":"Now the full quarter."}`, ev.ID), &req); code != 200 || req.Status != "submitted" {
		t.Fatalf("resubmit: %d %+v", code, req)
	}
	if code := m.call(t, auditor, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/decision", req.ID), `{"decision":"accept","reason":"Complete."}`, &req); code != 200 || req.Status != "accepted" {
		t.Fatalf("accept: %d %+v", code, req)
	}
	if code := m.call(t, member, "POST", fmt.Sprintf("/api/v1/evidence-requests/%d/submit", req.ID), fmt.Sprintf(`{"evidence_ids":[%d]}`, ev.ID), &e); code != 409 {
		t.Fatalf("answer an accepted request: %d", code)
	}
	var list struct {
		Requests []requestJSON `json:"requests"`
	}
	if code := m.call(t, member, "GET", "/api/v1/evidence-requests?assignee=me&status=accepted", "", &list); code != 200 || len(list.Requests) != 1 {
		t.Fatalf("member's accepted requests: %d %+v", code, list)
	}
}

// dueSoon is a due date two weeks from now (the program runs on the real clock).
var dueSoon = clocktest.Now().AddDate(0, 0, 14).Format("2006-01-02")

type requestJSON struct {
	assay.EvidenceRequest
	Overdue bool `json:"overdue"`
}
