package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/assay-platform/assay/api"
	"github.com/assay-platform/assay/evidence"
)

var siteBlobs sync.Map // *testing.T -> *evidence.FS

// testBlobs gives a test site a blob store in its own folder.
func testBlobs(t *testing.T) *evidence.FS {
	t.Helper()
	b, err := evidence.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	siteBlobs.Store(t, b)
	return b
}

func blobsOf(t *testing.T) *evidence.FS {
	b, _ := siteBlobs.Load(t)
	return b.(*evidence.FS)
}

// part is one field of a multipart form, in order; a file when name is set.
type part struct{ field, value, filename string }

// upload posts a multipart form with the parts in the order given.
func (s *site) upload(path string, parts ...part) (int, string, string) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.field, p.filename)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			s.t.Fatal(err)
		}
		io.WriteString(w, p.value)
	}
	mw.Close()
	resp, err := s.client.Post(s.srv.URL+path, mw.FormDataContentType(), &body)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func blobCount(t *testing.T, b *evidence.FS) int {
	t.Helper()
	n := 0
	if err := b.Walk(func(evidence.Blob) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEvidencePages(t *testing.T) {
	s := newSite(t)
	blobs := blobsOf(t)
	csrf := s.csrf()
	check := func(path, body string) {
		t.Helper()
		checkCSP(t, path, body)
		checkA11y(t, path, body)
	}

	code, body := s.get("/evidence")
	if code != 200 || !strings.Contains(body, "No evidence here yet") || !strings.Contains(body, `href="/evidence/new"`) || !strings.Contains(body, `aria-current="page"><svg`) {
		t.Fatalf("empty evidence page: %d\n%s", code, body)
	}
	check("/evidence", body)

	// The upload form: the CSRF token is the first field and the file the last.
	code, body = s.get("/evidence/new?control=ACC-01")
	if code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `value="ACC-01"`) {
		t.Fatalf("upload form: %d\n%s", code, body)
	}
	check("/evidence/new", body)
	form := body[strings.Index(body, `<form method="post" action="/evidence"`):]
	form = form[:strings.Index(form, "</form>")]
	names := regexp.MustCompile(`<(?:input|textarea|select)[^>]*\sname="([^"]+)"`).FindAllStringSubmatch(form, -1)
	if len(names) < 3 || names[0][1] != "csrf" || names[len(names)-1][1] != "file" {
		t.Fatalf("the form's fields are in the wrong order: %v", names)
	}
	for _, k := range []string{"link", "note"} {
		code, body = s.get("/evidence/new?kind=" + k)
		if code != 200 {
			t.Fatalf("%s form: %d", k, code)
		}
		check("/evidence/new?kind="+k, body)
	}

	content := "system,user,decision\nprod-db,sam,keep\nprod-db,alex,remove\n"
	sum := sha256.Sum256([]byte(content))
	digest := hex.EncodeToString(sum[:])
	filePart := part{"file", content, "access-review.csv"}

	// Refused uploads store nothing: a missing or wrong token (checked
	// before the body is read), a token that is not first, a file that is
	// not last, an unknown control.
	for name, parts := range map[string][]part{
		"no token":        {{"title", "x", ""}, {"controls", "ACC-01", ""}, filePart},
		"wrong token":     {{"csrf", "forged", ""}, {"controls", "ACC-01", ""}, filePart},
		"token not first": {{"controls", "ACC-01", ""}, {"csrf", csrf, ""}, filePart},
	} {
		if code, body, _ := s.upload("/evidence", parts...); code != http.StatusForbidden {
			t.Errorf("%s: %d\n%s", name, code, body)
		}
	}
	for name, parts := range map[string][]part{
		"file not last":   {{"csrf", csrf, ""}, {"kind", "file", ""}, {"controls", "ACC-01", ""}, filePart, {"title", "late", ""}},
		"unknown control": {{"csrf", csrf, ""}, {"kind", "file", ""}, {"controls", "NOPE-1", ""}, filePart},
		"no file":         {{"csrf", csrf, ""}, {"kind", "file", ""}, {"controls", "ACC-01", ""}, {"file", "", ""}},
	} {
		code, body, _ := s.upload("/evidence", parts...)
		if code != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: %d\n%s", name, code, body)
		}
		check("refused upload: "+name, body)
	}
	if n := blobCount(t, blobs); n != 0 {
		t.Fatalf("refused uploads stored %d blobs", n)
	}
	if tmp, _ := os.ReadDir(blobs.TempDir()); len(tmp) != 0 {
		t.Fatalf("refused uploads left %d temp files", len(tmp))
	}

	code, body, loc := s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "file", ""}, part{"title", "Q1 access review", ""},
		part{"controls", "ACC-01, ACC-02", ""}, part{"period_start", "2026-01-01", ""}, part{"period_end", "2026-02-28", ""},
		part{"valid_days", "92", ""}, filePart)
	if code != http.StatusSeeOther || loc != "/evidence/1?flash=evidence-added" {
		t.Fatalf("upload: %d %q\n%s", code, loc, body)
	}
	if ok, _ := blobs.Has(digest); !ok {
		t.Fatal("the uploaded file is not stored under its digest")
	}
	code, body = s.get("/evidence/1?flash=evidence-added")
	for _, want := range []string{digest, "Q1 access review", "access-review.csv", "/evidence/1/content", "ACC-01", "ACC-02", "92 days", "Evidence added.", "History", "sha256sum"} {
		if !strings.Contains(body, want) {
			t.Errorf("evidence page lacks %q", want)
		}
	}
	if code != 200 {
		t.Fatalf("evidence page: %d", code)
	}
	check("/evidence/1", body)

	resp, err := s.client.Get(s.srv.URL + "/evidence/1/content")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != content || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
		resp.Header.Get("Content-Disposition") != `attachment; filename=access-review.csv` || resp.Header.Get("X-Assay-SHA256") != digest ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("download: %q %v", got, resp.Header)
	}

	// A link and a note through the same form.
	if code, body, _ := s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "link", ""}, part{"title", "MFA policy", ""},
		part{"controls", "ACC-05", ""}, part{"url", "https://idp.example/policy", ""}, part{"valid_days", "20", ""}); code != http.StatusSeeOther {
		t.Fatalf("link: %d\n%s", code, body)
	}
	if code, body, _ := s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "note", ""}, part{"title", "Tabletop", ""},
		part{"controls", "ACC-01", ""}, part{"note_text", "Ran the tabletop on 1 March.", ""}); code != http.StatusSeeOther {
		t.Fatalf("note: %d\n%s", code, body)
	}
	// A bad field keeps what was typed and says what is wrong.
	code, body, _ = s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "link", ""}, part{"title", "Kept title", ""},
		part{"controls", "ACC-02", ""}, part{"url", "ftp://nope", ""})
	if code != http.StatusBadRequest || !strings.Contains(body, "https://") || !strings.Contains(body, `value="Kept title"`) {
		t.Fatalf("bad link: %d\n%s", code, body)
	}

	pages := []struct{ path, want string }{
		{"/evidence", "MFA policy"},
		{"/evidence?state=expiring", "MFA policy"},
		{"/evidence?control=ACC-01&kind=note", "Tabletop"},
		{"/evidence?state=bogus", "Unknown state"},
		{"/controls/ACC-01", "Q1 access review"},
		{"/", "Evidence due soon"},
		{"/evidence/new?kind=note&supersedes=3", "Correcting evidence 3"},
		{"/evidence/2", "https://idp.example/policy"},
		{"/evidence/3", "Ran the tabletop"},
		{"/activity?type=evidence", "evidence.create"},
	}
	for _, p := range pages {
		code, body := s.get(p.path)
		if code != 200 || !strings.Contains(body, p.want) {
			t.Errorf("GET %s: %d, want %q\n%s", p.path, code, p.want, body)
		}
		check(p.path, body)
	}
	if _, body := s.get("/"); !strings.Contains(body, "MFA policy") || !strings.Contains(body, "in 20 days") {
		t.Errorf("dashboard does not list the evidence due soon:\n%s", body)
	}

	// Attach, detach.
	if code, body, _ := s.post("/evidence/1/controls", url.Values{"csrf": {csrf}, "attach": {"ACC-03"}}); code != http.StatusSeeOther {
		t.Fatalf("attach: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/evidence/1/controls", url.Values{"csrf": {csrf}, "detach": {"ACC-02"}}); code != http.StatusSeeOther {
		t.Fatalf("detach: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/evidence/2/controls", url.Values{"csrf": {csrf}, "detach": {"ACC-05"}}); code != http.StatusBadRequest || !strings.Contains(body, "at least one control") {
		t.Fatalf("detach the last control: %d\n%s", code, body)
	}

	// Requests: ask, answer with an upload, decide.
	if code, body, _ := s.post("/evidence-requests", url.Values{"csrf": {csrf}, "control_id": {"ACC-01"}, "assignee_id": {itoa(s.member.ID)},
		"due_date": {"2026-03-20"}, "description": {"The signed Q1 review."}}); code != http.StatusSeeOther {
		t.Fatalf("create request: %d\n%s", code, body)
	}
	code, body, _ = s.post("/evidence-requests", url.Values{"csrf": {csrf}, "control_id": {"ACC-01"}, "due_date": {"2020-01-01"}, "description": {"x"}})
	if code != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("request in the past: %d\n%s", code, body)
	}
	check("/evidence-requests (error)", body)
	for _, p := range []string{"/evidence-requests", "/evidence-requests/1", "/evidence-requests?status=open", "/evidence/new?kind=file&control=ACC-01&request=1"} {
		code, body := s.get(p)
		if code != 200 {
			t.Errorf("GET %s: %d", p, code)
		}
		check(p, body)
	}
	// The admin may answer too; the upload is submitted to the request.
	code, body, loc = s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "file", ""}, part{"request_id", "1", ""},
		part{"response", "Signed copy attached.", ""}, part{"controls", "", ""}, filePart)
	if code != http.StatusSeeOther || loc != "/evidence-requests/1?flash=request-submitted" {
		t.Fatalf("answer with an upload: %d %q\n%s", code, loc, body)
	}
	if n := blobCount(t, blobs); n != 1 {
		t.Fatalf("identical content stored %d times", n)
	}
	_, body = s.get("/evidence-requests/1")
	if !strings.Contains(body, "Signed copy attached.") || !strings.Contains(body, `name="decision"`) {
		t.Fatalf("submitted request page:\n%s", body)
	}
	check("/evidence-requests/1 (submitted)", body)
	if code, body, _ := s.post("/evidence-requests/1/decision", url.Values{"csrf": {csrf}, "decision": {"reject"}, "reason": {""}}); code != http.StatusBadRequest {
		t.Fatalf("reject without a reason: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/evidence-requests/1/decision", url.Values{"csrf": {csrf}, "decision": {"accept"}, "reason": {"Signed."}}); code != http.StatusSeeOther {
		t.Fatalf("accept: %d\n%s", code, body)
	}
	if _, body := s.get("/evidence-requests/1"); !strings.Contains(body, "Accepted by Dana Reyes") {
		t.Fatalf("accepted request page:\n%s", body)
	}
}

func TestEvidencePagesForAMember(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	s.post("/logout", url.Values{"csrf": {csrf}})
	if code, _, _ := s.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatal("member sign in")
	}
	csrf = s.csrf()
	// Sam owns nothing: evidence for ACC-01 is refused, and nothing is stored.
	code, body, _ := s.upload("/evidence", part{"csrf", csrf, ""}, part{"kind", "file", ""}, part{"controls", "ACC-01", ""}, part{"file", "data", "x.txt"})
	if code != http.StatusForbidden || !strings.Contains(body, "controls they own") {
		t.Fatalf("member upload for another's control: %d\n%s", code, body)
	}
	if n := blobCount(t, blobsOf(t)); n != 0 {
		t.Fatalf("a refused upload stored %d blobs", n)
	}
	// Members do not ask for evidence.
	if code, _, _ := s.post("/evidence-requests", url.Values{"csrf": {csrf}, "control_id": {"ACC-01"}, "due_date": {"2026-03-20"}, "description": {"x"}}); code != http.StatusForbidden {
		t.Fatalf("member creates a request: %d", code)
	}
	if _, body := s.get("/evidence-requests"); strings.Contains(body, `action="/evidence-requests"`) {
		t.Fatal("members see the request form")
	}
}

// TestOpenAPIDescribesEvidence checks every evidence route is in the
// served API description, with the upload's 413.
func TestOpenAPIDescribesEvidence(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"GET /api/v1/evidence", "POST /api/v1/evidence", "GET /api/v1/evidence/{id}", "GET /api/v1/evidence/{id}/content",
		"POST /api/v1/evidence/{id}/controls", "GET /api/v1/evidence-requests", "POST /api/v1/evidence-requests", "GET /api/v1/evidence-requests/{id}",
		"POST /api/v1/evidence-requests/{id}/submit", "POST /api/v1/evidence-requests/{id}/decision"} {
		method, path, _ := strings.Cut(route, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", route)
		}
	}
	var post struct {
		Responses map[string]any `json:"responses"`
	}
	if err := json.Unmarshal(doc.Paths["/api/v1/evidence"]["post"], &post); err != nil {
		t.Fatal(err)
	}
	if _, ok := post.Responses["413"]; !ok {
		t.Error("the upload's 413 is not described")
	}
}
