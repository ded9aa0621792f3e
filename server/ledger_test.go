package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestLedgerOnActivityPage: the Activity page shows the ledger card, within
// the CSP, also before any checkpoint and without a key.
func TestLedgerOnActivityPage(t *testing.T) {
	s := newSite(t)
	code, body := s.get("/activity")
	if code != http.StatusOK {
		t.Fatalf("/activity: %d", code)
	}
	for _, want := range []string{"Tamper-evident ledger", "None signed yet.", "Not configured.", "assay verify"} {
		if !strings.Contains(body, want) {
			t.Errorf("activity page lacks %q", want)
		}
	}
	checkCSP(t, "/activity", body)
	checkA11y(t, "/activity", body)
}

// TestOpenAPIDescribesLedger: the API description covers the ledger routes.
func TestOpenAPIDescribesLedger(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/api/v1/openapi.json")
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/ledger/checkpoint", "/api/v1/ledger/entries/{seq}/proof", "/api/v1/ledger/consistency"} {
		if _, ok := doc.Paths[path]["get"]; !ok {
			t.Errorf("openapi.json does not describe GET %s", path)
		}
	}
}
