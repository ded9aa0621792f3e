package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/secret"
)

// testSecrets is a secret key made for one test.
func testSecrets(t *testing.T) *secret.Box {
	t.Helper()
	key := make([]byte, secret.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

var (
	mfaSecretRE   = regexp.MustCompile(`id="mfa-secret">([A-Z2-7]+)<`)
	mfaTokenRE    = regexp.MustCompile(`name="token" value="([^"]+)"`)
	mfaCSRFRE     = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	recoveryRE    = regexp.MustCompile(`<li>([a-z2-7]{5}-[a-z2-7]{5})</li>`)
	mfaQRRE       = regexp.MustCompile(`<img class="mfa-qr" src="data:image/png;base64,[A-Za-z0-9+/=&#;]+"`)
	mfaOTPAuthURI = regexp.MustCompile(`href="otpauth://totp/[^"]*secret=`)
)

// code is the authenticator's code for secret at the site's clock.
func (s *site) code(sec string) string {
	s.t.Helper()
	c, err := totp.GenerateCode(sec, s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// enrolMFA sets up two-step sign-in from the account page and returns the
// secret and the recovery codes.
func (s *site) enrolMFA() (string, []string) {
	s.t.Helper()
	code, body, _ := s.post("/account/mfa/setup", url.Values{"csrf": {s.csrf()}})
	if code != http.StatusOK {
		s.t.Fatalf("start enrolment: %d\n%s", code, body)
	}
	return s.confirmEnrolment(body, "/account/mfa/confirm")
}

// confirmEnrolment reads the set-up page, shows a wrong code and then the
// right one, and returns the secret and the recovery codes.
func (s *site) confirmEnrolment(body, action string) (string, []string) {
	s.t.Helper()
	m := mfaSecretRE.FindStringSubmatch(body)
	tok := mfaTokenRE.FindStringSubmatch(body)
	csrf := mfaCSRFRE.FindStringSubmatch(body)
	if m == nil || tok == nil || csrf == nil || !mfaQRRE.MatchString(body) || !mfaOTPAuthURI.MatchString(body) {
		s.t.Fatalf("the set-up page lacks the secret, the QR code, the otpauth URI or the form:\n%s", body)
	}
	sec := m[1]
	wrong := "000000"
	if s.code(sec) == wrong {
		wrong = "111111"
	}
	form := url.Values{"csrf": {csrf[1]}, "token": {html.UnescapeString(tok[1])}, "code": {wrong}, "next": {"/"}}
	if code, body, _ := s.post(action, form); code != http.StatusBadRequest || !strings.Contains(body, "not right") || !strings.Contains(body, sec) {
		s.t.Fatalf("a wrong code at enrolment: %d\n%s", code, body)
	}
	form.Set("code", s.code(sec))
	code, body, _ := s.post(action, form)
	codes := recoveryRE.FindAllStringSubmatch(body, -1)
	if code != http.StatusOK || len(codes) != assay.RecoveryCodeCount {
		s.t.Fatalf("confirm enrolment: %d, %d recovery codes\n%s", code, len(codes), body)
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return sec, out
}

// passwordStep signs out and gives the password, returning where Assay
// sends the browser next.
func (s *site) passwordStep(email string) string {
	s.t.Helper()
	form := url.Values{}
	if _, page := s.get("/"); csrfRE.MatchString(page) {
		form.Set("csrf", csrfRE.FindStringSubmatch(page)[1])
	}
	s.post("/logout", form) // a browser that has not finished signing in just drops its cookie
	code, body, loc := s.post("/login", url.Values{"email": {email}, "password": {adminPassword}, "next": {"/controls"}})
	if code != http.StatusSeeOther {
		s.t.Fatalf("password of %s: %d\n%s", email, code, body)
	}
	return loc
}

// mfaForm is the second-factor page's form with code.
func (s *site) mfaForm(code string) url.Values {
	s.t.Helper()
	status, body := s.get("/login/mfa?next=%2Fcontrols")
	m := mfaCSRFRE.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		s.t.Fatalf("second-factor page: %d\n%s", status, body)
	}
	return url.Values{"csrf": {m[1]}, "code": {code}, "next": {"/controls"}}
}

// notSignedIn fails unless the browser's session opens nothing.
func (s *site) notSignedIn(what string) {
	s.t.Helper()
	for _, path := range []string{"/", "/account", "/settings/mfa"} {
		if code, _ := s.get(path); code != http.StatusSeeOther {
			s.t.Fatalf("%s: %s answered %d to a browser that has not finished signing in", what, path, code)
		}
	}
	if code, _ := s.get("/api/v1/me"); code != http.StatusUnauthorized {
		s.t.Fatalf("%s: the API answered %d to a browser that has not finished signing in", what, code)
	}
}

func (s *site) mfaActions() []string {
	s.t.Helper()
	acts, err := s.db.Org(s.org.ID).Activity(context.Background(), assay.ActivityFilter{Action: "user.", Limit: 100})
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, a := range acts {
		if strings.HasPrefix(a.Action, "user.mfa") {
			out = append(out, a.Action)
		}
	}
	return out
}

func TestMFAEnrolSignInRecoverAndDisable(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	sec, recovery := s.enrolMFA()
	st, err := s.db.Org(s.org.ID).MFA(ctx, s.admin.ID)
	if err != nil || !st.Enabled || st.RecoveryCodes != assay.RecoveryCodeCount {
		t.Fatalf("after enrolment: %+v, %v", st, err)
	}
	if bytes.Contains(st.SealedSecret, []byte(sec)) {
		t.Fatal("the TOTP secret is stored in the clear")
	}
	if code, body := s.get("/account"); code != http.StatusOK || !strings.Contains(body, "10 of 10 recovery codes left") {
		t.Fatalf("account page after enrolment: %d\n%s", code, body)
	}

	// The password alone signs nobody in.
	if loc := s.passwordStep(adminEmail); loc != "/login/mfa?next=%2Fcontrols" {
		t.Fatalf("after the password: sent to %q", loc)
	}
	s.notSignedIn("after the password")
	// The code that confirmed the enrolment is spent.
	if code, _, _ := s.post("/login/mfa", s.mfaForm(s.code(sec))); code != http.StatusUnauthorized {
		t.Fatalf("a spent code: %d", code)
	}
	s.clock.Advance(30 * time.Second)
	if code, body, loc := s.post("/login/mfa", s.mfaForm(s.code(sec))); code != http.StatusSeeOther || loc != "/controls" {
		t.Fatalf("a current code: %d %q\n%s", code, loc, body)
	}
	if code, _ := s.get("/controls"); code != http.StatusOK {
		t.Fatalf("signed in with a code, /controls answered %d", code)
	}

	// A recovery code works once.
	s.passwordStep(adminEmail)
	if code, _, loc := s.post("/login/mfa", s.mfaForm(strings.ToUpper(recovery[3]))); code != http.StatusSeeOther || loc != "/account?done=recovery" {
		t.Fatalf("a recovery code: %d %q", code, loc)
	}
	if _, body := s.get("/account?done=recovery"); !strings.Contains(body, "9 of 10 recovery codes left") || !strings.Contains(body, "used up now") {
		t.Fatalf("account page after a recovery code:\n%s", body)
	}
	s.passwordStep(adminEmail)
	if code, _, _ := s.post("/login/mfa", s.mfaForm(recovery[3])); code != http.StatusUnauthorized {
		t.Fatalf("a recovery code used twice: %d", code)
	}
	if code, _, _ := s.post("/login/mfa", s.mfaForm(recovery[4])); code != http.StatusSeeOther {
		t.Fatalf("another recovery code: %d", code)
	}

	// Turning it off takes the password (or a code).
	csrf := s.csrf()
	if code, body, _ := s.post("/account/mfa/disable", url.Values{"csrf": {csrf}, "password": {"not the password at all"}}); code != http.StatusBadRequest {
		t.Fatalf("disable with a wrong password: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/account/mfa/disable", url.Values{"csrf": {csrf}}); code != http.StatusBadRequest {
		t.Fatalf("disable with nothing: %d\n%s", code, body)
	}
	if code, body, loc := s.post("/account/mfa/disable", url.Values{"csrf": {csrf}, "password": {adminPassword}}); code != http.StatusSeeOther || loc != "/account?done=mfa_off" {
		t.Fatalf("disable: %d %q\n%s", code, loc, body)
	}
	if st, _ := s.db.Org(s.org.ID).MFA(ctx, s.admin.ID); st.Enabled {
		t.Fatal("MFA still on after disabling")
	}
	if loc := s.passwordStep(adminEmail); loc != "/controls" {
		t.Fatalf("after disabling, the password sends to %q", loc)
	}
	want := []string{assay.EventMFADisabled, assay.EventMFARecoveryUsed, assay.EventMFAFailed, assay.EventMFARecoveryUsed, assay.EventMFAFailed, assay.EventMFAEnrolled}
	if got := s.mfaActions(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("trail = %v, want %v", got, want)
	}
}

func TestMFAWrongCodesAreThrottled(t *testing.T) {
	s := newSite(t)
	sec, _ := s.enrolMFA()
	s.clock.Advance(time.Minute)
	s.passwordStep(adminEmail)
	right := s.code(sec)
	wrong := "123456"
	if wrong == right {
		wrong = "654321"
	}
	for i := range assay.DefaultSignInPolicy.FreeFailures {
		if code, body, _ := s.post("/login/mfa", s.mfaForm(wrong)); code != http.StatusUnauthorized || !strings.Contains(body, "not right") {
			t.Fatalf("wrong code %d: %d\n%s", i+1, code, body)
		}
	}
	// The pair now waits, whatever the code.
	resp, err := s.client.PostForm(s.srv.URL+"/login/mfa", s.mfaForm(right))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d wrong codes: %d, Retry-After %q", assay.DefaultSignInPolicy.FreeFailures, resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	s.notSignedIn("throttled")
	s.clock.Advance(2 * time.Second)
	if code, _, loc := s.post("/login/mfa", s.mfaForm(right)); code != http.StatusSeeOther || loc != "/controls" {
		t.Fatalf("the right code after the wait: %d %q", code, loc)
	}
	failed := 0
	for _, a := range s.mfaActions() {
		if a == assay.EventMFAFailed {
			failed++
		}
	}
	if failed != assay.DefaultSignInPolicy.FreeFailures {
		t.Fatalf("%d wrong codes in the trail, want %d", failed, assay.DefaultSignInPolicy.FreeFailures)
	}
}

func TestMFAPolicyForcesEnrolment(t *testing.T) {
	s := newSite(t)
	if code, body, loc := s.post("/settings/mfa", url.Values{"csrf": {s.csrf()}, "required_for": {"sometimes"}}); code != http.StatusBadRequest {
		t.Fatalf("an unknown policy: %d %q\n%s", code, loc, body)
	}
	if code, body, loc := s.post("/settings/mfa", url.Values{"csrf": {s.csrf()}, "required_for": {"admins"}}); code != http.StatusSeeOther {
		t.Fatalf("set policy: %d %q\n%s", code, loc, body)
	}
	if code, body := s.get("/api/v1/mfa-policy"); code != http.StatusOK || !strings.Contains(body, `"required_for": "admins"`) {
		t.Fatalf("policy through the API: %d %s", code, body)
	}
	// A member is not covered: the password is enough.
	if loc := s.passwordStep("sam@example.com"); loc != "/controls" {
		t.Fatalf("member under an admins-only policy sent to %q", loc)
	}
	if code, _ := s.get("/settings/mfa"); code != http.StatusForbidden {
		t.Fatalf("a member opened the MFA policy: %d", code)
	}
	// The admin must set it up before anything else.
	if loc := s.passwordStep(adminEmail); loc != "/login/mfa/setup?next=%2Fcontrols" {
		t.Fatalf("admin without MFA sent to %q", loc)
	}
	s.notSignedIn("before enrolling")
	if code, _ := s.get("/login/mfa?next=%2F"); code != http.StatusSeeOther {
		t.Fatalf("the code page opened for a session that must enrol: %d", code)
	}
	code, body := s.get("/login/mfa/setup?next=%2Fcontrols")
	if code != http.StatusOK || !strings.Contains(body, "requires two-step sign-in for your role") {
		t.Fatalf("forced set-up page: %d\n%s", code, body)
	}
	sec, _ := s.confirmEnrolment(body, "/login/mfa/setup")
	if code, _ := s.get("/controls"); code != http.StatusOK {
		t.Fatalf("after enrolling, /controls answered %d", code)
	}
	// Required for their role, it cannot be turned off.
	if code, body, _ := s.post("/account/mfa/disable", url.Values{"csrf": {s.csrf()}, "password": {adminPassword}}); code != http.StatusForbidden {
		t.Fatalf("turning off required MFA: %d\n%s", code, body)
	}
	// The policy through the API (the cookie with its CSRF header).
	req, _ := http.NewRequest(http.MethodPut, s.srv.URL+"/api/v1/mfa-policy", strings.NewReader(`{"required_for":"everyone"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.csrf())
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT /api/v1/mfa-policy: %d", resp.StatusCode)
	}
	if loc := s.passwordStep("sam@example.com"); loc != "/login/mfa/setup?next=%2Fcontrols" {
		t.Fatalf("member under an everyone policy sent to %q", loc)
	}
	// Signing in again asks the admin for a code.
	s.clock.Advance(time.Minute)
	if loc := s.passwordStep(adminEmail); loc != "/login/mfa?next=%2Fcontrols" {
		t.Fatalf("admin with MFA sent to %q", loc)
	}
	if code, _, loc := s.post("/login/mfa", s.mfaForm(s.code(sec))); code != http.StatusSeeOther || loc != "/controls" {
		t.Fatalf("code after forced enrolment: %d %q", code, loc)
	}
	acts, err := s.db.Org(s.org.ID).Activity(context.Background(), assay.ActivityFilter{Action: assay.EventMFAPolicy, Limit: 10})
	if err != nil || len(acts) != 2 || acts[0].Action != assay.EventMFAPolicy {
		t.Fatalf("policy trail: %+v %v", acts, err)
	}
}

// An admin resets the two-step sign-in of a user who lost their
// authenticator: every second factor goes, their sessions end, and the
// password alone signs them in again (the policy permitting).
func TestMFAResetByAnAdmin(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	s.passwordStep("sam@example.com")
	s.enrolMFA()
	s.clock.Advance(time.Minute)
	if loc := s.passwordStep(adminEmail); loc != "/controls" {
		t.Fatalf("admin sent to %q", loc)
	}
	csrf := s.csrf()
	if code, _, loc := s.post("/settings/users/"+itoa(s.admin.ID), url.Values{"csrf": {csrf}, "reset_mfa": {"true"}}); code == http.StatusSeeOther {
		t.Fatalf("resetting a user without MFA went through to %q", loc)
	}
	if code, body, loc := s.post("/settings/users/"+itoa(s.member.ID), url.Values{"csrf": {csrf}, "reset_mfa": {"true"}}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d %q\n%s", code, loc, body)
	}
	if st, _ := s.db.Org(s.org.ID).MFA(ctx, s.member.ID); st.Enabled {
		t.Fatal("MFA still on after the reset")
	}
	if loc := s.passwordStep("sam@example.com"); loc != "/controls" {
		t.Fatalf("after the reset the member is sent to %q", loc)
	}
	if got := s.mfaActions(); len(got) == 0 || got[0] != assay.EventMFAReset {
		t.Fatalf("trail = %v", got)
	}
}

// A passkey answer that proves nothing counts as a failed sign-in, and a
// user whose only second factor is a passkey is asked for it.
func TestMFAPasskeyFailureCounts(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.db.Org(s.org.ID).AddPasskey(ctx, assay.Actor{Name: "test", Via: "system"}, assay.Passkey{UserID: s.admin.ID, Name: "key",
		CredentialID: "AQID", Credential: []byte(`{"id":"AQID","publicKey":"AQID"}`)}); err != nil {
		t.Fatal(err)
	}
	if loc := s.passwordStep(adminEmail); loc != "/login/mfa?next=%2Fcontrols" {
		t.Fatalf("a user with a passkey sent to %q", loc)
	}
	_, page := s.get("/login/mfa?next=%2Fcontrols")
	if !strings.Contains(page, `id="passkey-signin"`) || strings.Contains(page, `name="code"`) {
		t.Fatalf("the second-factor page of a passkey-only user:\n%s", page)
	}
	m := regexp.MustCompile(`data-csrf="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the passkey button:\n%s", page)
	}
	form := url.Values{"csrf": {m[1]}}
	// The test server is reached at an IP address, which cannot be a
	// passkey's relying party: the refusal says so (the browser test runs
	// the whole ceremony on localhost).
	code, body, _ := s.post("/login/mfa/passkey/options", url.Values{"csrf": form["csrf"]})
	if code != http.StatusConflict || !strings.Contains(body, "domain name") {
		t.Fatalf("passkey options at an IP address: %d %s", code, body)
	}
	if code, body, _ := s.post("/login/mfa/passkey", url.Values{"csrf": form["csrf"], "token": {"bogus"}, "credential": {`{"id":"AQID"}`}}); code != http.StatusUnauthorized {
		t.Fatalf("a bogus passkey answer: %d %s", code, body)
	}
	s.notSignedIn("after a bogus passkey answer")
	if got := s.mfaActions(); len(got) != 1 || got[0] != assay.EventMFAFailed {
		t.Fatalf("trail = %v", got)
	}
	// The code form of a passkey-only user accepts nothing.
	if code, _, _ := s.post("/login/mfa", url.Values{"csrf": form["csrf"], "code": {"123456"}}); code != http.StatusUnauthorized {
		t.Fatalf("a code for a passkey-only user: %d", code)
	}
}
