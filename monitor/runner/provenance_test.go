package runner

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// A live API source's run keeps where its resources came from: a note
// naming the endpoint, the collector and the count, and the raw responses
// as a blob whose SHA-256 the note gives. The sealed token reaches the
// API and nothing else.
func TestLiveSourceRunKeepsItsRawResponses(t *testing.T) { eachStore(t, testLiveSourceProvenance) }

func testLiveSourceProvenance(t *testing.T, e *env) {
	const token = "00okta-runner-token"
	okta := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "SSWS "+token {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/api/v1/users" && r.URL.Query().Get("filter") == "":
			w.Write([]byte(`[{"id":"00u1","status":"ACTIVE","created":"2026-01-01T00:00:00.000Z","lastLogin":"2026-11-01T00:00:00.000Z","profile":{"login":"ann@example.com","email":"ann@example.com"}}]`))
		case r.URL.Path == "/api/v1/policies":
			w.Write([]byte(`[{"id":"00p1","name":"Default Policy","status":"ACTIVE","priority":1,"system":true,"settings":{"password":{"complexity":{"minLength":8},"lockout":{"maxAttempts":10}}}}]`))
		case strings.HasSuffix(r.URL.Path, "/factors"):
			w.Write([]byte(`[{"id":"f1","factorType":"push","status":"ACTIVE"}]`))
		default:
			w.Write([]byte(`[]`))
		}
	}))
	defer okta.Close()
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "Okta", Kind: "okta", Enabled: true, IntervalMinutes: 60,
		Settings: map[string]string{"org_url": okta.URL}}, map[string]string{"token": token})
	if err != nil {
		t.Fatal(err)
	}
	run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerManual)
	if err != nil || run.Status != assay.RunOK {
		t.Fatalf("run: %+v %v", run, err)
	}
	note := strings.Join(run.Notes, "\n")
	m := regexp.MustCompile(`raw responses kept as blob sha256:([0-9a-f]{64})`).FindStringSubmatch(note)
	if m == nil || !strings.Contains(note, okta.URL) || !strings.Contains(note, "okta/1") || !strings.Contains(note, "2 resources") {
		t.Fatalf("notes: %q", note)
	}
	raw, err := readBlob(e.runner.Blobs, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "/api/v1/users/00u1/factors") || !strings.Contains(string(raw), `"minLength":8`) || strings.Contains(string(raw), token) {
		t.Errorf("raw responses: %s", raw)
	}
	cur := e.current(src.ID)
	if r := cur[[2]string{"okta-password-min-length-12", "00p1"}]; r.Status != assay.CheckFail || !strings.Contains(r.Reason, "8 characters") {
		t.Errorf("password length check: %+v", r)
	}
	if r := cur[[2]string{"okta-active-users-have-mfa", "ann@example.com"}]; r.Status != assay.CheckPass {
		t.Errorf("mfa check: %+v", r)
	}
}
