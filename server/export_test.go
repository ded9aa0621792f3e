package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestExportsPage(t *testing.T) {
	s := newSite(t)
	code, body := s.get("/exports")
	if code != http.StatusOK || !strings.Contains(body, "Evidence bundle (zip)") || !strings.Contains(body, "assay verify BUNDLE.zip") ||
		!strings.Contains(body, `formaction="/api/v1/exports/oscal.json"`) {
		t.Fatalf("exports page: %d\n%s", code, body)
	}
	if _, body := s.get("/"); !strings.Contains(body, `href="/exports"`) {
		t.Error("no Exports link in the navigation")
	}
	// The page's buttons fetch the API with the browser's session.
	if code, body := s.get("/api/v1/exports/oscal.json?from=2026-01-01&to=2026-02-28"); code != http.StatusOK || !strings.Contains(body, `"assessment-results"`) {
		t.Fatalf("oscal with a session: %d %s", code, body)
	}
	// No signed checkpoint yet (this server has no signer): a clear 409.
	if code, body := s.get("/api/v1/exports/evidence-bundle.zip"); code != http.StatusConflict || !strings.Contains(body, "no signed checkpoint") {
		t.Fatalf("bundle without a checkpoint: %d %s", code, body)
	}
}
