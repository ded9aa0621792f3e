package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/oidctest"
)

// browser is a fresh cookie jar that follows redirects, as a browser does
// between Assay and the identity provider.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

// oidcSignIn starts single sign-on at Assay, signs in at the provider as
// username and follows the redirects back. It returns the last answer's
// status, URL and body.
func oidcSignIn(t *testing.T, s *site, c *http.Client, username, password string) (int, *url.URL, string) {
	t.Helper()
	resp, err := c.Get(s.srv.URL + "/login/sso/northwind?next=/controls")
	if err != nil {
		t.Fatalf("start sso: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Request.URL.Query().Get("authRequestID")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("the provider's login step was not reached: %d %s\n%s", resp.StatusCode, resp.Request.URL, b)
	}
	login := *resp.Request.URL
	login.RawQuery = ""
	resp, err = c.PostForm(login.String(), url.Values{"id": {id}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatalf("sign in at the provider: %v", err)
	}
	defer resp.Body.Close()
	b, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL, string(b)
}

func TestOIDCSignInProvisionsLinksAndSurvivesKeyRotation(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	// The provider signs tokens at the wall clock; Assay's clock is set
	// to it so that their times are now.
	s.clock.Set(time.Now().UTC())
	if code, body, _ := s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("sign in again at the new time: %d\n%s", code, body)
	}
	op := oidctest.Start(t, s.srv.URL+"/login/sso/northwind/callback")
	op.AddUser(oidctest.User{ID: "u-ada", Username: "ada", Password: "pw", Email: "Ada@Example.com", EmailVerified: true,
		Name: "Ada Lovelace", Groups: []string{"everyone", "assay-auditors"}})
	op.AddUser(oidctest.User{ID: "u-dana", Username: "dana", Password: "pw", Email: adminEmail, EmailVerified: true, Name: "Dana", Groups: []string{"eng"}})
	op.AddUser(oidctest.User{ID: "u-eve", Username: "eve", Password: "pw", Email: "eve@example.com", EmailVerified: false})
	op.AddUser(oidctest.User{ID: "u-mal", Username: "mal", Password: "pw", Email: "mal@elsewhere.test", EmailVerified: true})

	form := url.Values{"csrf": {s.csrf()}, "protocol": {"oidc"}, "provider_name": {"Test IdP"}, "issuer": {op.Issuer + "/"},
		"client_id": {op.ClientID}, "client_secret": {op.ClientSecret}, "scopes": {"openid email profile"},
		"groups_claim": {"groups"}, "default_role": {"viewer"}, "role_map": {"assay-auditors = auditor\r\nassay-admins = admin\r\n"},
		"allowed_domains": {"example.com"}}
	// Without the CSRF token nothing is saved.
	noCSRF := url.Values{}
	for k, v := range form {
		noCSRF[k] = v
	}
	noCSRF.Del("csrf")
	if code, _, _ := s.post("/settings/sso", noCSRF); code != http.StatusForbidden {
		t.Fatalf("settings without csrf: %d", code)
	}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("role_map", "assay-auditors = overlord")
	if code, body, _ := s.post("/settings/sso", bad); code != http.StatusBadRequest || !strings.Contains(body, "unknown role") {
		t.Fatalf("bad role map: %d\n%s", code, body)
	}
	if code, body, loc := s.post("/settings/sso", form); code != http.StatusSeeOther || loc != "/settings/sso?flash=saved" {
		t.Fatalf("save settings: %d %q\n%s", code, loc, body)
	}
	set, err := s.db.Org(s.org.ID).SSOSettings(ctx)
	if err != nil || !set.HasSecret || strings.Contains(string(set.SealedSecret), op.ClientSecret) || set.Issuer != op.Issuer {
		t.Fatalf("stored settings: %+v, %v (the secret must be sealed)", set, err)
	}
	if code, body := s.get("/settings/sso"); code != http.StatusOK || strings.Contains(body, op.ClientSecret) ||
		!strings.Contains(body, s.srv.URL+"/login/sso/northwind/callback") || !strings.Contains(body, "(set; leave blank to keep)") {
		t.Fatalf("settings page: %d (it must not show the secret)\n%s", code, body)
	}
	if len(s.activity(assay.EventSSOSettings)) != 1 {
		t.Fatal("the settings change is not in the trail")
	}
	// The sign-in page offers the provider.
	if _, body := get(t, browser(), s.srv.URL+"/login"); !strings.Contains(body, "Sign in with Test IdP") || !strings.Contains(body, `name="password"`) {
		t.Fatalf("sign-in page:\n%s", body)
	}

	// A new person is provisioned with the highest role their groups map to.
	code, at, body := oidcSignIn(t, s, browser(), "ada", "pw")
	if code != http.StatusOK || at.Path != "/controls" {
		t.Fatalf("ada's sign-in ended at %d %s\n%s", code, at, body)
	}
	ada, _, err := s.db.UserByEmail(ctx, "ada@example.com")
	if err != nil || ada.Role != assay.RoleAuditor || ada.Name != "Ada Lovelace" || ada.OrgID != s.org.ID {
		t.Fatalf("provisioned user: %+v, %v", ada, err)
	}
	// A second sign-in is the same user; the provider's key rotates in
	// between and Assay fetches the new key.
	old := op.KeyID()
	if op.RotateKey() == old {
		t.Fatal("the key did not rotate")
	}
	if code, at, body := oidcSignIn(t, s, browser(), "ada", "pw"); code != http.StatusOK || at.Path != "/controls" {
		t.Fatalf("sign-in after key rotation ended at %d %s\n%s", code, at, body)
	}
	if n := len(s.activity(assay.EventSSOLink)); n != 1 {
		t.Fatalf("%d links after two sign-ins, want 1", n)
	}

	// An existing user is linked by verified e-mail and keeps their role
	// (their groups map to nothing).
	if code, at, body := oidcSignIn(t, s, browser(), "dana", "pw"); code != http.StatusOK || at.Path != "/controls" {
		t.Fatalf("dana's sign-in ended at %d %s\n%s", code, at, body)
	}
	links := s.activity(assay.EventSSOLink)
	if len(links) != 2 || !strings.Contains(links[0].Summary+links[1].Summary, "SSO link: Dana Reyes") {
		t.Fatalf("links: %+v", links)
	}
	if u, _ := s.db.Org(s.org.ID).User(ctx, s.admin.ID); u.Role != assay.RoleAdmin {
		t.Fatalf("dana's role became %s", u.Role)
	}

	// Refused: an unverified e-mail, a domain not allowed.
	if code, _, body := oidcSignIn(t, s, browser(), "eve", "pw"); code != http.StatusForbidden || !strings.Contains(body, "verified e-mail") {
		t.Fatalf("unverified e-mail: %d\n%s", code, body)
	}
	if code, _, body := oidcSignIn(t, s, browser(), "mal", "pw"); code != http.StatusForbidden || !strings.Contains(body, "domain") {
		t.Fatalf("domain not allowed: %d\n%s", code, body)
	}

	// A callback this browser did not start, or with a wrong state, is refused.
	c := browser()
	if code, body := get(t, c, s.srv.URL+"/login/sso/northwind/callback?code=x&state=y"); code != http.StatusForbidden || !strings.Contains(body, "did not start") {
		t.Fatalf("callback without a flow: %d\n%s", code, body)
	}
	resp, err := noFollow(c).Get(s.srv.URL + "/login/sso/northwind")
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %v %v", resp, err)
	}
	resp.Body.Close()
	if code, body := get(t, c, s.srv.URL+"/login/sso/northwind/callback?code=x&state=forged"); code != http.StatusForbidden || !strings.Contains(body, "state") {
		t.Fatalf("forged state: %d\n%s", code, body)
	}

	// An ID token is checked by Assay's clock: two hours ahead of the
	// provider's, the token (valid for an hour) has expired.
	s.clock.Advance(2 * time.Hour)
	if code, _, body := oidcSignIn(t, s, browser(), "ada", "pw"); code != http.StatusForbidden || !strings.Contains(body, "expired") {
		t.Fatalf("an ID token expired by Assay's clock: %d\n%s", code, body)
	}
	s.clock.Advance(-2 * time.Hour)

	// Refusing unmapped people turns away one whose groups map to nothing.
	form.Set("csrf", s.csrf())
	form.Set("refuse_unmapped", "1")
	form.Set("client_secret", "")
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusSeeOther {
		t.Fatalf("save settings: %d\n%s", code, body)
	}
	if set, _ := s.db.Org(s.org.ID).SSOSettings(ctx); !set.HasSecret || !set.RefuseUnmapped {
		t.Fatalf("a blank secret must keep the stored one: %+v", set)
	}
	if code, _, body := oidcSignIn(t, s, browser(), "dana", "pw"); code != http.StatusForbidden || !strings.Contains(body, "None of your groups") {
		t.Fatalf("unmapped: %d\n%s", code, body)
	}
}

func noFollow(c *http.Client) *http.Client {
	return &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// activity is the organisation's trail entries of one action, newest first.
func (s *site) activity(action string) []assay.Activity {
	s.t.Helper()
	list, err := s.db.Org(s.org.ID).Activity(context.Background(), assay.ActivityFilter{Action: action})
	if err != nil {
		s.t.Fatal(err)
	}
	return list
}
