package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// checkboxOutsideRow finds a checkbox that is not the first child of a
// check-row, where it would sit above its label.
var checkboxRE = regexp.MustCompile(`(?s)(<div class="check-row">\s*)?<input id="([^"]+)"[^>]*type="checkbox"`)

func checkboxesInRows(t *testing.T, path, body string, ids ...string) {
	t.Helper()
	rowed := map[string]bool{}
	for _, m := range checkboxRE.FindAllStringSubmatch(body, -1) {
		rowed[m[2]] = m[1] != ""
	}
	for _, id := range ids {
		in, seen := rowed[id]
		if !seen {
			t.Errorf("%s has no checkbox %s", path, id)
		} else if !in {
			t.Errorf("%s: checkbox %s is not in a check-row, so it sits above its label", path, id)
		}
	}
}

// TestCheckboxesShareARowWithTheirLabels covers the incident, training and
// policy-settings forms.
func TestCheckboxesShareARowWithTheirLabels(t *testing.T) {
	s := newSite(t)
	_, body := s.get("/incidents")
	checkboxesInRows(t, "/incidents", body, "in-personal", "in-customer", "in-exercise")
	_, body = s.get("/training")
	checkboxesInRows(t, "/training", body, "c-hire", "c-sec")
	code, body, loc := s.post("/policies", url.Values{"csrf": {s.csrf()}, "template_id": {"acceptable-use"}, "owner_id": {itoa(s.admin.ID)}, "review_months": {"12"}})
	if code != http.StatusSeeOther {
		t.Fatalf("adopt: %d\n%s", code, body)
	}
	path := strings.Split(loc, "?")[0]
	_, body = s.get(path)
	checkboxesInRows(t, path, body, "ps-type-employee", "ps-type-contractor")
}

// TestVendorDueNowIsOverdueOnUpcoming: a vendor /vendors calls "Due now"
// (never reviewed, added today) is overdue on Upcoming, not due soon.
func TestVendorDueNowIsOverdueOnUpcoming(t *testing.T) {
	s := newSite(t)
	code, body, _ := s.post("/vendors", url.Values{"csrf": {s.csrf()}, "name": {"Cloud Host"}, "classification": {"restricted"},
		"criticality": {"high"}, "owner_id": {itoa(s.admin.ID)}})
	if code != http.StatusSeeOther {
		t.Fatalf("add vendor: %d\n%s", code, body)
	}
	if _, body := s.get("/vendors"); !strings.Contains(body, "Due now") {
		t.Fatalf("/vendors does not say the review is due now")
	}
	_, body = s.get("/upcoming")
	overdue, soon, ok := strings.Cut(body, `id="soon-title"`)
	if !ok {
		t.Fatalf("/upcoming has no due-soon section\n%s", body)
	}
	if !strings.Contains(overdue, "Vendor review: Cloud Host") || strings.Contains(soon, "Vendor review: Cloud Host") {
		t.Error("a vendor review due now is not listed as overdue on /upcoming")
	}
}
