package server

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// anotherBrowser signs the admin in from a second browser of the site.
func (s *site) anotherBrowser(password string) *site {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := *s
	b.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, body, _ := b.post("/login", url.Values{"email": {adminEmail}, "password": {password}}); code != http.StatusSeeOther {
		s.t.Fatalf("sign in from another browser: %d\n%s", code, body)
	}
	return &b
}

var sessionRowRE = regexp.MustCompile(`/account/sessions/([0-9a-f]{16})/end`)

func TestAccountPasswordChange(t *testing.T) {
	s := newSite(t)
	other := s.anotherBrowser(adminPassword)
	code, body := s.get("/account")
	if code != http.StatusOK || len(sessionRowRE.FindAllStringSubmatch(body, -1)) != 2 || !strings.Contains(body, "This browser") {
		t.Fatalf("account page: %d, want two sessions, one this browser\n%s", code, body)
	}
	checkCSP(t, "/account", body)
	checkA11y(t, "/account", body)
	csrf := s.csrf()
	const next = "violet anchor drifting quietly"
	for _, c := range []struct {
		current, password, confirm, want string
	}{
		{"not my password", next, next, "current password is not right"},
		{adminPassword, "password1234", "password1234", "too easy to guess"},
		{adminPassword, "short", "short", "at least 12 characters"},
		{adminPassword, next, next + "x", "differ"},
		{adminPassword, adminPassword, adminPassword, "same as the current"},
	} {
		code, body, _ := s.post("/account/password", url.Values{"csrf": {csrf}, "current": {c.current}, "password": {c.password}, "confirm": {c.confirm}})
		if code != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("change with %+v: %d, want 400 saying %q", c, code, c.want)
		}
	}
	code, _, loc := s.post("/account/password", url.Values{"csrf": {csrf}, "current": {adminPassword}, "password": {next}, "confirm": {next}})
	if code != http.StatusSeeOther || loc != "/account?done=password" {
		t.Fatalf("change: %d to %q", code, loc)
	}
	// This browser goes on in a new session; the other one is signed out.
	if code, body := s.get(loc); code != http.StatusOK || !strings.Contains(body, "Your password is changed") || len(sessionRowRE.FindAllString(body, -1)) != 1 {
		t.Fatalf("after the change: %d\n%s", code, body)
	}
	if code, _ := other.get("/controls"); code != http.StatusSeeOther {
		t.Fatalf("the other browser still signed in: %d", code)
	}
	// The old password no longer signs in; the new one does.
	fresh := *s
	jar, _ := cookiejar.New(nil)
	fresh.client = &http.Client{Jar: jar, CheckRedirect: s.client.CheckRedirect}
	if code, _, _ := fresh.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}}); code != http.StatusUnauthorized {
		t.Fatalf("old password: %d", code)
	}
	if code, _, _ := fresh.post("/login", url.Values{"email": {adminEmail}, "password": {next}}); code != http.StatusSeeOther {
		t.Fatalf("new password: %d", code)
	}
	// The failed sign-in is in the activity trail, found by its action.
	code, body = s.get("/activity?action=" + assay.EventSignInFailed)
	if code != http.StatusOK || !strings.Contains(body, "Failed sign-in as "+adminEmail+" from 127.0.0.1") || strings.Contains(body, "signed in from") {
		t.Fatalf("activity filtered by action: %d\n%s", code, body)
	}
	if code, body = s.get("/activity?action=user."); !strings.Contains(body, "signed in from 127.0.0.1") || !strings.Contains(body, "Failed sign-in") {
		t.Fatalf("activity filtered by area: %d\n%s", code, body)
	}
}

// Guessing the current password is slowed like signing in.
func TestAccountPasswordGuessingThrottled(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	form := url.Values{"csrf": {csrf}, "current": {"a wrong guess"}, "password": {"violet anchor drifting quietly"}, "confirm": {"violet anchor drifting quietly"}}
	for range 5 {
		if code, _, _ := s.post("/account/password", form); code != http.StatusBadRequest {
			t.Fatalf("wrong current password: %d", code)
		}
	}
	form.Set("current", adminPassword)
	if code, body, _ := s.post("/account/password", form); code != http.StatusTooManyRequests || !strings.Contains(body, "Try again in 1 second") {
		t.Fatalf("sixth try: %d\n%s", code, body)
	}
}

func TestAccountSessionsAndTokens(t *testing.T) {
	s := newSite(t)
	other := s.anotherBrowser(adminPassword)
	_, body := s.get("/account")
	var otherID string
	for _, m := range sessionRowRE.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, m[1]+`</span> <span class="badge">This browser`) {
			otherID = m[1]
		}
	}
	if otherID == "" {
		t.Fatalf("no other session listed\n%s", body)
	}
	csrf := s.csrf()
	if code, _, loc := s.post("/account/sessions/"+otherID+"/end", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/account?done=session" {
		t.Fatalf("end the other session: %d %q", code, loc)
	}
	if code, _ := other.get("/controls"); code != http.StatusSeeOther {
		t.Fatalf("the ended session still works: %d", code)
	}
	if code, _, _ := s.post("/account/sessions/"+otherID+"/end", url.Values{"csrf": {csrf}}); code != http.StatusNotFound {
		t.Fatalf("ending it again: %d", code)
	}

	// Tokens: one's own are listed and revoked; another's are not reached.
	ctx := context.Background()
	os := s.db.Org(s.org.ID)
	mine := s.token(t, os, s.admin, "mine")
	theirs := s.token(t, os, s.member, "theirs")
	if _, body := s.get("/account"); !strings.Contains(body, "mine") || strings.Contains(body, "theirs") {
		t.Fatalf("own tokens listed wrongly\n%s", body)
	}
	if code, _, _ := s.post("/account/tokens/"+itoa(theirs.ID)+"/revoke", url.Values{"csrf": {csrf}}); code != http.StatusNotFound {
		t.Fatalf("revoking another user's token from one's account: %d", code)
	}
	if code, _, loc := s.post("/account/tokens/"+itoa(mine.ID)+"/revoke", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/account?done=token" {
		t.Fatalf("revoke own token: %d %q", code, loc)
	}
	left, err := os.APITokens(ctx)
	if err != nil || len(left) != 1 || left[0].ID != theirs.ID {
		t.Fatalf("tokens left: %+v %v", left, err)
	}
	// Ending this browser's own session signs it out.
	_, body = s.get("/account")
	cur := sessionRowRE.FindStringSubmatch(body)
	if code, _, loc := s.post("/account/sessions/"+cur[1]+"/end", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("end this session: %d %q", code, loc)
	}
	if code, _ := s.get("/controls"); code != http.StatusSeeOther {
		t.Fatalf("still signed in: %d", code)
	}
}

func (s *site) token(t *testing.T, os interface {
	CreateAPIToken(context.Context, assay.Actor, assay.APIToken, string) (assay.APIToken, error)
}, u assay.User, name string) assay.APIToken {
	t.Helper()
	secret := auth.NewToken(auth.PrefixAPIToken)
	tok, err := os.CreateAPIToken(context.Background(), assay.ActorFor(u, "web"), assay.APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(auth.PrefixAPIToken)+4]}, auth.HashToken(secret))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// The password policy holds where an admin sets a password on a page.
func TestPasswordPolicyOnTheUsersPage(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	for pw, want := range map[string]string{
		"password1234":        "too easy to guess",
		"lee.new@example.com": "your email address or name",
		"ééééééééééé":         "at least 12 characters",
	} {
		code, body, _ := s.post("/settings/users", url.Values{"csrf": {csrf}, "email": {"lee.new@example.com"}, "name": {"Lee New"}, "role": {"member"}, "password": {pw}})
		if code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("create a user with %q: %d, want 400 saying %q", pw, code, want)
		}
	}
	if code, body, _ := s.post("/settings/users", url.Values{"csrf": {csrf}, "email": {"lee.new@example.com"}, "name": {"Lee New"}, "role": {"member"}, "password": {"copper kettle mountain breeze"}}); code != http.StatusSeeOther {
		t.Fatalf("a good password: %d\n%s", code, body)
	}
}
