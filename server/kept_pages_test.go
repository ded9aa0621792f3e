package server

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// keptPages are the pages rendered once per change, minute, session and
// query (renderKept).
var keptPages = []string{"/", "/controls", "/controls?status=implemented", "/evidence", "/people", "/vendors", "/risks",
	"/monitoring", "/upcoming", "/training", "/corrective-actions", "/evidence-requests"}

var formTokenRE = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// TestKeptPagesStayWithTheirViewer: every kept page, asked twice in turn
// by two browsers of the admin and by each other role, carries only the
// asking session's form token and name, and what the role may do: a page
// one viewer rendered never reaches another.
func TestKeptPagesStayWithTheirViewer(t *testing.T) {
	s := newAccessSite(t)
	ctx := context.Background()
	admin := s.sessions["admin"]
	secret := "secret-admin-second-browser-0123456789"
	if err := s.db.CreateSession(ctx, auth.HashToken(secret), assay.Session{UserID: admin.user.ID, OrgID: s.org.ID, CSRFToken: "csrf-admin-2",
		CreatedAt: s.clock.T, ExpiresAt: s.clock.T.Add(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.sessions["admin-2"] = accessSession{user: admin.user, cookie: secret, csrf: "csrf-admin-2"}
	roles := []string{"admin", "viewer", "admin-2", "member", "auditor"}
	for _, path := range keptPages {
		for round := range 2 {
			for _, role := range roles {
				got := s.do(role, http.MethodGet, path)
				if got.status == http.StatusForbidden || got.status == http.StatusSeeOther {
					continue
				}
				if got.status != http.StatusOK {
					t.Fatalf("GET %s as %s: %d", path, role, got.status)
				}
				for _, m := range formTokenRE.FindAllStringSubmatch(got.body, -1) {
					if m[1] != s.sessions[role].csrf {
						t.Errorf("round %d, GET %s as %s: a form carries the token %q of another session", round, path, role, m[1])
					}
				}
				if !strings.Contains(got.body, ">"+s.sessions[role].user.Name+"<") {
					t.Errorf("round %d, GET %s as %s: the page does not name %s", round, path, role, s.sessions[role].user.Name)
				}
				if path == "/controls" && strings.Contains(got.body, `id="bulk-owner"`) != strings.HasPrefix(role, "admin") {
					t.Errorf("round %d, GET /controls as %s: the admins' bulk owner form shown %v", round, role, !strings.HasPrefix(role, "admin"))
				}
			}
		}
	}
}

// TestKeptPagesFollowEveryChangeAndTheClock: a kept page shows a change
// made through another server of the database (straight to the store) on
// the next request, and what the passing of time makes overdue.
func TestKeptPagesFollowEveryChangeAndTheClock(t *testing.T) {
	s := newAccessSite(t)
	ctx := context.Background()
	sys := assay.Actor{Name: "another server", Via: "system"}
	os := s.db.Org(s.org.ID)
	for range 2 {
		if got := s.do("admin", http.MethodGet, "/vendors"); got.status != http.StatusOK || strings.Contains(got.body, "Fabrikam Storage") {
			t.Fatalf("GET /vendors before the vendor: %d", got.status)
		}
	}
	if _, err := os.CreateVendors(ctx, sys, []assay.Vendor{{Name: "Fabrikam Storage", Criticality: "high", Classification: assay.DataInternal}}); err != nil {
		t.Fatal(err)
	}
	if got := s.do("admin", http.MethodGet, "/vendors"); !strings.Contains(got.body, "Fabrikam Storage") {
		t.Error("the vendor another server added is not on the next /vendors")
	}
	implemented := assay.StatusImplemented
	listed := func() bool {
		got := s.do("member", http.MethodGet, "/controls?category=all&status=implemented&q="+s.outCtl)
		if got.status != http.StatusOK {
			t.Fatalf("GET /controls: %d", got.status)
		}
		return strings.Contains(got.body, `href="/controls/`+s.outCtl+`"`)
	}
	for range 2 {
		if listed() {
			t.Fatal("listed as implemented before the change")
		}
	}
	if _, err := os.UpdateControl(ctx, sys, s.outCtl, assay.ControlPatch{Status: &implemented}); err != nil {
		t.Fatal(err)
	}
	if !listed() {
		t.Error("the control another server marked implemented is not on the next /controls?status=implemented")
	}

	// The requests fall due in 14 days: within the minute nothing moves
	// them, the day after they are overdue.
	for range 2 {
		if got := s.do("admin", http.MethodGet, "/evidence-requests"); got.status != http.StatusOK || strings.Contains(got.body, ">Overdue<") {
			t.Fatal("a request is overdue before its due date")
		}
	}
	s.clock.Set(s.clock.T.AddDate(0, 0, 15))
	secret := "secret-admin-a-fortnight-on-0123456789"
	if err := s.db.CreateSession(ctx, auth.HashToken(secret), assay.Session{UserID: s.sessions["admin"].user.ID, OrgID: s.org.ID, CSRFToken: "csrf-admin",
		CreatedAt: s.clock.T, ExpiresAt: s.clock.T.Add(12 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.sessions["admin"] = accessSession{user: s.sessions["admin"].user, cookie: secret, csrf: "csrf-admin"}
	if got := s.do("admin", http.MethodGet, "/evidence-requests"); got.status != http.StatusOK || !strings.Contains(got.body, ">Overdue<") {
		t.Error("the requests past their due date are not overdue on /evidence-requests")
	}
}

// TestKeptPagesAtOnce: the same pages asked at once by five sessions each
// get their own (run it with -race).
func TestKeptPagesAtOnce(t *testing.T) {
	s := newAccessSite(t)
	roles := []string{"admin", "member", "auditor", "viewer", "engagement"}
	var wg sync.WaitGroup
	errs := make(chan string, len(roles)*len(keptPages)*3)
	for _, role := range roles {
		sess := s.sessions[role]
		wg.Go(func() {
			for range 3 {
				for _, path := range keptPages {
					req, _ := http.NewRequest(http.MethodGet, s.hs.URL+path, nil)
					req.AddCookie(&http.Cookie{Name: "assay_session", Value: sess.cookie})
					resp, err := s.hs.Client().Transport.RoundTrip(req)
					if err != nil {
						errs <- err.Error()
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					for _, m := range formTokenRE.FindAllStringSubmatch(string(body), -1) {
						if m[1] != sess.csrf {
							errs <- role + " got " + path + " with the token " + m[1]
						}
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
