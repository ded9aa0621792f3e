package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

func TestSSOOnlyRefusesPasswordsButTheBreakGlassAdmins(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	form := url.Values{"csrf": {s.csrf()}, "protocol": {"oidc"}, "provider_name": {"Okta"}, "issuer": {"https://acme.okta.example"},
		"client_id": {"assay"}, "default_role": {"viewer"}, "sso_only": {"1"}}
	// SSO-only needs a break-glass admin, and it must be an admin.
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusBadRequest || !strings.Contains(body, "break-glass") {
		t.Fatalf("sso-only without break-glass: %d\n%s", code, body)
	}
	form.Set("break_glass_user_id", itoa(s.member.ID))
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusBadRequest || !strings.Contains(body, "must be an active admin") {
		t.Fatalf("a member as break-glass: %d\n%s", code, body)
	}
	form.Set("break_glass_user_id", itoa(s.admin.ID))
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", code, body)
	}

	c := browser()
	code, body := get(t, c, s.srv.URL+"/login")
	if code != http.StatusOK || !strings.Contains(body, "Sign in with Okta") || strings.Contains(body, `name="password"`) ||
		!strings.Contains(body, `href="/login?break-glass=1"`) {
		t.Fatalf("sign-in page of an SSO-only server: %d\n%s", code, body)
	}
	if _, body := get(t, c, s.srv.URL+"/login?break-glass=1"); !strings.Contains(body, `name="password"`) || !strings.Contains(body, "Break-glass") {
		t.Fatalf("break-glass page:\n%s", body)
	}
	// The member's right password is refused; the break-glass admin's works.
	resp, err := noFollow(c).PostForm(s.srv.URL+"/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}, "break_glass": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	b := new(strings.Builder)
	_, _ = io.Copy(b, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(b.String(), "signs in with Okta only") {
		t.Fatalf("member's password under SSO-only: %d\n%s", resp.StatusCode, b)
	}
	// The MFA policy still applies to the break-glass admin.
	if err := s.db.Org(s.org.ID).SetMFAPolicy(ctx, assay.SystemActor, assay.MFAAdmins); err != nil {
		t.Fatal(err)
	}
	resp, err = noFollow(c).PostForm(s.srv.URL+"/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "break_glass": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login/mfa/setup") {
		t.Fatalf("break-glass admin under an MFA policy: %d %q", resp.StatusCode, loc)
	}
	// Turning single sign-on off brings passwords back.
	form = url.Values{"csrf": {s.csrf()}, "protocol": {""}, "default_role": {"viewer"}}
	if code, body, _ := s.post("/settings/sso", form); code != http.StatusSeeOther {
		t.Fatalf("turn off: %d\n%s", code, body)
	}
	if _, body := get(t, browser(), s.srv.URL+"/login"); strings.Contains(body, "Sign in with") || !strings.Contains(body, `name="password"`) {
		t.Fatalf("sign-in page without SSO:\n%s", body)
	}
}
