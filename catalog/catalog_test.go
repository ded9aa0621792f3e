package catalog

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/assay-platform/assay"
)

func TestDefaultCatalogIsCompleteAndValid(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Criteria) != 61 {
		t.Fatalf("%d criteria, want 61", len(c.Criteria))
	}
	if len(c.Controls) < 100 {
		t.Fatalf("%d controls, want at least 100", len(c.Controls))
	}
	wantCategory := map[string]string{"CC1.1": "security", "CC9.2": "security", "A1.3": "availability", "C1.2": "confidentiality", "PI1.5": "processing_integrity", "P8.1": "privacy"}
	for id, cat := range wantCategory {
		cr, ok := c.Criterion(id)
		if !ok || cr.Category != cat {
			t.Errorf("%s: category %q, want %q", id, cr.Category, cat)
		}
	}
	for _, cr := range c.Criteria {
		if n := len(c.ControlsFor(cr.ID)); n < 2 {
			t.Errorf("%s is covered by %d controls", cr.ID, n)
		}
		// Our own words: the AICPA's criteria open with "The entity".
		if strings.HasPrefix(cr.Explanation, "The entity") || strings.HasPrefix(cr.Title, "The entity") {
			t.Errorf("%s reads like the AICPA's text; write it in our own words", cr.ID)
		}
	}
	automated := 0
	for _, ctl := range c.Controls {
		if ctl.Automation != "" {
			automated++
		}
	}
	if automated < 25 {
		t.Errorf("only %d controls say a later feature tests them", automated)
	}
	if len(c.DomainCriteria()) != 61 || len(c.LibraryControls()) != len(c.Controls) {
		t.Error("domain conversions lose entries")
	}
}

// mutate loads the embedded data, applies a change to the raw JSON, and
// returns the load error.
func mutate(t *testing.T, file, old, new string) error {
	t.Helper()
	fs := fstest.MapFS{}
	for _, name := range []string{"data/criteria.json", "data/controls.json"} {
		b, err := dataFS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if name == file {
			if !strings.Contains(s, old) {
				t.Fatalf("%s does not contain %q", file, old)
			}
			s = strings.Replace(s, old, new, 1)
		}
		fs[name] = &fstest.MapFile{Data: []byte(s)}
	}
	_, err := Load(fs)
	return err
}

func TestBrokenCatalogsAreRefused(t *testing.T) {
	cases := []struct {
		name, file, old, new, says string
	}{
		{"duplicate criterion", "data/criteria.json", `"id": "CC1.2"`, `"id": "CC1.1"`, "duplicate criterion"},
		{"missing criterion", "data/criteria.json", `"id": "P8.1"`, `"id": "P8.2"`, "P8.1 is missing"},
		{"unknown series", "data/criteria.json", `"series": "CC2"`, `"series": "CC0"`, "unknown series"},
		{"unknown criterion in a control", "data/controls.json", `"CC5.3"`, `"CC5.9"`, "unknown criterion"},
		{"bad frequency", "data/controls.json", `"frequency": "annual"`, `"frequency": "sometimes"`, "unknown frequency"},
		{"bad kind", "data/controls.json", `"kind": "preventive"`, `"kind": "hopeful"`, "unknown kind"},
		{"unknown field", "data/controls.json", `"family":`, `"famliy":`, "unknown field"},
		{"empty title", "data/criteria.json", `"title": "Ethics and integrity set from the top"`, `"title": " "`, "CC1.1: title must be"},
	}
	for _, tc := range cases {
		err := mutate(t, tc.file, tc.old, tc.new)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: got %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
}

// The trust tiles load, and every check they name is in the library.
func TestTrustTiles(t *testing.T) {
	tiles, err := TrustTiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(tiles) < 6 {
		t.Fatalf("%d trust tiles", len(tiles))
	}
	bad := []assay.TrustTileDef{{ID: "x", Group: "assurance", Title: "X", Explanation: "x", Kind: "checks", Checks: []string{"no-such-check"}}}
	if err := validateTrustTiles(bad); err == nil {
		t.Fatal("a tile naming an unknown check was accepted")
	}
}
