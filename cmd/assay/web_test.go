package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	setupLinkRE = regexp.MustCompile(`/setup\?token=(assay_setup_[a-z0-9]+)`)
	csrfRE      = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestFirstRunSetupLoginLogout walks the first run: the printed setup link,
// the first admin, a CSRF-protected change, sign-out and sign-in again.
func TestFirstRunSetupLoginLogout(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	match := setupLinkRE.FindStringSubmatch(m.out.String())
	if match == nil {
		t.Fatalf("no setup link printed:\n%s", m.out)
	}
	token := match[1]
	c := newBrowserClient(t)

	// Without a session every page sends you to sign in.
	if code, _ := get(t, c, m.URL()+"/controls"); code != http.StatusSeeOther {
		t.Fatalf("/controls signed out: %d, want 303", code)
	}
	// Bad input on the setup form changes nothing and spends no token.
	resp, body := post(t, c, m.URL()+"/setup", url.Values{"token": {token}, "org_name": {"Acme"}, "name": {"Ada"}, "email": {"ada@acme.example"}, "password": {"short"}, "password_confirm": {"short"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "at least 12") {
		t.Fatalf("short password: %d", resp.StatusCode)
	}
	if code, _ := get(t, c, m.URL()+"/setup?token=wrong"); code != 200 {
		t.Fatalf("setup page: %d", code)
	}
	resp, _ = post(t, c, m.URL()+"/setup", url.Values{"token": {"assay_setup_wrong"}, "org_name": {"Acme"}, "name": {"Ada"}, "email": {"ada@acme.example"}, "password": {"a long passphrase"}, "password_confirm": {"a long passphrase"}})
	if resp.StatusCode != 401 {
		t.Fatalf("wrong token: %d, want 401", resp.StatusCode)
	}
	resp, _ = post(t, c, m.URL()+"/setup", url.Values{"token": {token}, "org_name": {"Acme Corp"}, "name": {"Ada Admin"}, "email": {"ada@acme.example"}, "password": {"a long passphrase"}, "password_confirm": {"a long passphrase"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", resp.StatusCode)
	}
	cookie := resp.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Fatalf("session cookie lacks HttpOnly/SameSite: %s", cookie)
	}
	// The token works once.
	resp, _ = post(t, newBrowserClient(t), m.URL()+"/setup", url.Values{"token": {token}, "org_name": {"Evil"}, "name": {"Eve"}, "email": {"eve@evil.example"}, "password": {"a long passphrase"}, "password_confirm": {"a long passphrase"}})
	if resp.StatusCode == http.StatusSeeOther {
		t.Fatal("the setup token worked twice")
	}

	code, page := get(t, c, m.URL()+"/controls/ACC-01")
	if code != 200 || !strings.Contains(page, "ACC-01") {
		t.Fatalf("control page: %d", code)
	}
	csrf := csrfRE.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token in the control form")
	}
	// Without the CSRF token the change is refused.
	resp, _ = post(t, c, m.URL()+"/controls/ACC-01", url.Values{"status": {"implemented"}})
	if resp.StatusCode != 403 {
		t.Fatalf("change without CSRF token: %d, want 403", resp.StatusCode)
	}
	// A cross-site form post is refused even with the token.
	req, _ := http.NewRequest("POST", m.URL()+"/controls/ACC-01", strings.NewReader(url.Values{"status": {"implemented"}, "csrf": {csrf[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("cross-site post: %v %v, want 403", err, resp.StatusCode)
	}
	// N/A without a justification: a clear message, nothing changed.
	resp, body = post(t, c, m.URL()+"/controls/ACC-01", url.Values{"status": {"not_applicable"}, "justification": {""}, "csrf": {csrf[1]}})
	if resp.StatusCode != 400 || !strings.Contains(body, "justification") {
		t.Fatalf("N/A without justification: %d", resp.StatusCode)
	}
	resp, _ = post(t, c, m.URL()+"/controls/ACC-01", url.Values{"status": {"implemented"}, "notes": {"MFA enforced in the IdP"}, "csrf": {csrf[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change with CSRF token: %d", resp.StatusCode)
	}
	if _, page = get(t, c, m.URL()+"/controls/ACC-01"); !strings.Contains(page, "MFA enforced in the IdP") {
		t.Fatal("the saved notes are not on the page")
	}
	if _, page = get(t, c, m.URL()+"/activity"); !strings.Contains(page, "ACC-01") {
		t.Fatal("the change is not on the activity page")
	}

	resp, _ = post(t, c, m.URL()+"/logout", url.Values{"csrf": {csrf[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if code, _ := get(t, c, m.URL()+"/controls"); code != http.StatusSeeOther {
		t.Fatalf("after logout /controls: %d, want a redirect to sign in", code)
	}
	resp, body = post(t, c, m.URL()+"/login", url.Values{"email": {"ada@acme.example"}, "password": {"wrong password!"}})
	if resp.StatusCode != 401 || !strings.Contains(body, "wrong") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp, _ = post(t, c, m.URL()+"/login", url.Values{"email": {"ADA@acme.example"}, "password": {"a long passphrase"}, "next": {"//evil.example/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %d to %q (an off-site next must be ignored)", resp.StatusCode, resp.Header.Get("Location"))
	}
}
