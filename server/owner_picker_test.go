package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var selectRE = regexp.MustCompile(`(?s)<select[^>]*name="(owner_id|assignee_id)"[^>]*>(.*?)</select>`)

// TestOwnerPickersOfferPeopleWhoCanAct: every owner or assignee picker on
// the admin's pages lists the admin and the member, and never an auditor,
// a viewer, an employee or an invited auditor; choosing one anyway is
// refused with a plain message.
func TestOwnerPickersOfferPeopleWhoCanAct(t *testing.T) {
	s := newAccessSite(t)
	pages := []string{"/controls/" + s.inCtl, "/evidence-requests", "/risks", "/vendors", "/corrective-actions"}
	for _, path := range pages {
		got := s.do("admin", http.MethodGet, path)
		if got.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, got.status)
		}
		pickers := selectRE.FindAllStringSubmatch(got.body, -1)
		if len(pickers) == 0 {
			t.Errorf("GET %s: no owner picker", path)
		}
		for _, m := range pickers {
			if !strings.Contains(m[2], "The admin") || !strings.Contains(m[2], "The member") {
				t.Errorf("GET %s: the %s picker lacks the admin or the member", path, m[1])
			}
			for _, no := range []string{"The auditor", "The viewer", "The employee", "Ann Auditor", "Old Auditor"} {
				if strings.Contains(m[2], no) {
					t.Errorf("GET %s: the %s picker offers %s", path, m[1], no)
				}
			}
		}
	}
	auditor := itoa(s.sessions["auditor"].user.ID)
	req, _ := http.NewRequest(http.MethodPatch, s.hs.URL+"/api/v1/controls/"+s.outCtl, strings.NewReader(`{"owner_id":`+auditor+`}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.sessions["admin"].csrf)
	req.AddCookie(&http.Cookie{Name: "assay_session", Value: s.sessions["admin"].cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an auditor made a control's owner through the API: %d", resp.StatusCode)
	}
}
