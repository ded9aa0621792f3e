package server

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/internal/smtptest"
	"github.com/assay-platform/assay/monitor/alert"
)

// mailSite is the site's database served again by a server that sends
// mail through a real SMTP server, via the organisation's e-mail alert
// channel.
type mailSite struct {
	*site
	smtp *smtptest.Server
}

func newMailSite(t *testing.T) *mailSite {
	s := newSite(t)
	box := testSecrets(t)
	n := &alert.Notifier{Store: s.db, Box: box, Clock: s.clock, BaseURL: "https://assay.example.test",
		Backoff: func(int) time.Duration { return time.Millisecond }}
	mail := smtptest.Start(t)
	if _, err := n.CreateChannel(context.Background(), s.db.Org(s.org.ID), assay.Actor{Name: "test", Via: "system"}, assay.NewAlertChannel{
		Kind: assay.AlertEmail, Name: "Security team", Enabled: true,
		Settings: map[string]string{"host": mail.Host, "port": mail.Port, "tls": "none", "from": "assay@example.test", "to": "security@example.test"},
	}, nil); err != nil {
		t.Fatal(err)
	}
	cat := catalog.MustDefault()
	srv, err := New(Config{Store: s.db, Criteria: cat.DomainCriteria(), Clock: s.clock, NewOrgControls: cat.LibraryControls,
		PasswordParams: fastParams, Blobs: testBlobs(t), Secrets: box, Alerts: n})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s.srv = hs
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: s.client.CheckRedirect}
	if code, body, _ := s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", code, body)
	}
	return &mailSite{site: s, smtp: mail}
}

var linkRE = regexp.MustCompile(`https://assay\.example\.test(/[a-z/]+)\?token=(assay_link_[a-z0-9]+)`)

// lastLink reads the link of the n-th message (quoted-printable decoded).
func (m *mailSite) link(n int) (path, token string) {
	m.t.Helper()
	mails := m.smtp.Mails()
	if len(mails) <= n {
		m.t.Fatalf("%d mails, want message %d", len(mails), n)
	}
	raw := string(mails[n].Data)
	_, body, _ := strings.Cut(raw, "\r\n\r\n")
	b, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	found := linkRE.FindStringSubmatch(string(b))
	if found == nil {
		m.t.Fatalf("no link in mail:\n%s", raw)
	}
	return found[1], found[2]
}

// TestPasswordResetByEmail: "Forgot password?" answers the same for any
// address; a real e-mail carries a single-use link that the clock expires
// after 30 minutes; using it ends the user's other sessions; asking again
// and again is throttled without saying so.
func TestPasswordResetByEmail(t *testing.T) {
	m := newMailSite(t)
	anon := *m.site
	jar, _ := cookiejar.New(nil)
	anon.client = &http.Client{Jar: jar, CheckRedirect: m.client.CheckRedirect}

	if code, body := anon.get("/login"); code != 200 || !strings.Contains(body, `href="/password/forgot"`) {
		t.Fatalf("sign-in page without the link: %d", code)
	}
	_, known, _ := anon.post("/password/forgot", url.Values{"email": {" Sam@Example.com "}})
	_, unknown, _ := anon.post("/password/forgot", url.Values{"email": {"nobody@example.com"}})
	strip := func(s string) string {
		return strings.NewReplacer(" Sam@Example.com ", "", "nobody@example.com", "").Replace(s)
	}
	if strip(known) != strip(unknown) || !strings.Contains(known, "If an account uses that address") {
		t.Fatalf("the answers differ for a known and an unknown address")
	}
	mails := m.smtp.Mails()
	if len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != "sam@example.com" || mails[0].From != "assay@example.test" {
		t.Fatalf("mails: %+v", mails)
	}
	path, token := m.link(0)
	if path != "/password/reset" {
		t.Fatalf("link path %q", path)
	}
	// Sam is signed in elsewhere; the reset ends that session.
	sam := *m.site
	jar2, _ := cookiejar.New(nil)
	sam.client = &http.Client{Jar: jar2, CheckRedirect: m.client.CheckRedirect}
	if code, _, _ := sam.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("sam signs in: %d", code)
	}
	if code, body := anon.get(path + "?token=" + token); code != 200 || !strings.Contains(body, "sam@example.com") {
		t.Fatalf("reset page: %d\n%s", code, body)
	}
	if code, body, _ := anon.post(path, url.Values{"token": {token}, "password": {"password1234"}, "confirm": {"password1234"}}); code != http.StatusBadRequest || !strings.Contains(body, "too easy to guess") {
		t.Fatalf("weak password: %d", code)
	}
	const next = "copper lantern over quiet fjords"
	if code, _, loc := anon.post(path, url.Values{"token": {token}, "password": {next}, "confirm": {next}}); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("reset: %d %q", code, loc)
	}
	if code, body := anon.get("/login?flash=password"); code != 200 || !strings.Contains(body, "Your new password is set") {
		t.Fatalf("the sign-in page after a reset: %d\n%s", code, body)
	}
	if _, body := anon.get("/login?flash=hello"); strings.Contains(body, "banner-ok") {
		t.Fatal("an unknown flash key showed a note")
	}
	if code, _ := sam.get("/api/v1/me"); code != http.StatusUnauthorized {
		t.Fatalf("sam's old session after the reset: %d", code)
	}
	// Single use.
	if code, _, _ := anon.post(path, url.Values{"token": {token}, "password": {next + " again"}, "confirm": {next + " again"}}); code != http.StatusGone {
		t.Fatalf("second use: %d", code)
	}
	if code, _, _ := anon.post("/login", url.Values{"email": {"sam@example.com"}, "password": {next}}); code != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", code)
	}
	// Expiry by the clock: a link asked for now works at 29:59 and not at 30:00.
	anon.post("/password/forgot", url.Values{"email": {"sam@example.com"}})
	_, token2 := m.link(1)
	m.clock.Set(m.clock.Now().Add(30*time.Minute - time.Second))
	if code, _ := anon.get("/password/reset?token=" + token2); code != http.StatusOK {
		t.Fatalf("at 29:59: %d", code)
	}
	m.clock.Set(m.clock.Now().Add(time.Second))
	if code, body := anon.get("/password/reset?token=" + token2); code != http.StatusGone || !strings.Contains(body, "expired") {
		t.Fatalf("at 30:00: %d", code)
	}
	// Throttle: three links an hour per account; the fourth ask sends
	// nothing and answers the same.
	anon.post("/password/forgot", url.Values{"email": {"sam@example.com"}})
	_, again, _ := anon.post("/password/forgot", url.Values{"email": {"sam@example.com"}})
	if n := len(m.smtp.Mails()); n != 3 || !strings.Contains(again, "If an account uses that address") {
		t.Fatalf("throttle: %d mails", n)
	}
	m.clock.Set(m.clock.Now().Add(time.Hour))
	anon.post("/password/forgot", url.Values{"email": {"sam@example.com"}})
	if n := len(m.smtp.Mails()); n != 4 {
		t.Fatalf("after the hour: %d mails", n)
	}
	// An unknown token says so.
	if code, _ := anon.get("/password/reset?token=assay_link_nope"); code != http.StatusGone {
		t.Fatalf("unknown token: %d", code)
	}
	m.verifyLedger()
}

// TestInviteByEmail: an admin invites a person (web and API); the e-mail
// carries a link, good for 7 days and once, where they choose a password
// and then sign in with it. No password is printed anywhere.
func TestInviteByEmail(t *testing.T) {
	m := newMailSite(t)
	csrf := m.csrf()
	code, _, loc := m.post("/settings/users/invite", url.Values{"csrf": {csrf}, "email": {"Ines@Example.com"}, "name": {"Inès Duarte"}, "role": {"auditor"}})
	if code != http.StatusSeeOther || loc != "/settings/users?flash=user-invited" {
		t.Fatalf("invite: %d %q", code, loc)
	}
	if code, body := m.get(loc); code != 200 || !strings.Contains(body, "Invitation sent") || !strings.Contains(body, "ines@example.com") {
		t.Fatalf("users page after the invite: %d", code)
	}
	mails := m.smtp.Mails()
	if len(mails) != 1 || mails[0].To[0] != "ines@example.com" {
		t.Fatalf("mails: %+v", mails)
	}
	path, token := m.link(0)
	if path != "/invite" {
		t.Fatalf("invite link path %q", path)
	}
	// Inviting the same address again is refused and says why.
	if code, body, _ := m.post("/settings/users/invite", url.Values{"csrf": {csrf}, "email": {"ines@example.com"}, "role": {"viewer"}}); code != http.StatusBadRequest || !strings.Contains(body, "already exists") {
		t.Fatalf("second invite: %d", code)
	}
	// Through the API too.
	req, _ := http.NewRequest("POST", m.srv.URL+"/api/v1/users/invite", strings.NewReader(`{"email":"raj@example.com","name":"Raj","role":"viewer"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := m.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("API invite: %d", resp.StatusCode)
	}
	_, token2 := m.link(1)
	anon := *m.site
	jar, _ := cookiejar.New(nil)
	anon.client = &http.Client{Jar: jar, CheckRedirect: m.client.CheckRedirect}
	// Six days and 23 hours later the link still works; an invitation is
	// not a reset link (purposes do not mix).
	m.clock.Set(m.clock.Now().Add(7*24*time.Hour - time.Hour))
	if code, _ := anon.get("/password/reset?token=" + token); code != http.StatusGone {
		t.Fatalf("an invitation used as a reset link: %d", code)
	}
	if code, body := anon.get("/invite?token=" + token); code != 200 || !strings.Contains(body, "Welcome to Assay") {
		t.Fatalf("invite page: %d", code)
	}
	const pw = "amber heron above the tidal flats"
	if code, _, _ := anon.post("/invite", url.Values{"token": {token}, "password": {pw}, "confirm": {pw}}); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	if code, _, _ := anon.post("/invite", url.Values{"token": {token}, "password": {pw}, "confirm": {pw}}); code != http.StatusGone {
		t.Fatalf("accept twice: %d", code)
	}
	if code, _, _ := anon.post("/login", url.Values{"email": {"ines@example.com"}, "password": {pw}}); code != http.StatusSeeOther {
		t.Fatalf("sign in after accepting: %d", code)
	}
	// A link left for 7 days has expired.
	m.clock.Set(m.clock.Now().Add(time.Hour))
	if code, _ := anon.get("/invite?token=" + token2); code != http.StatusGone {
		t.Fatalf("after 7 days: %d", code)
	}
	m.verifyLedger()
}
