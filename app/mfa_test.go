package app_test

import (
	"crypto/rand"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/secret"
)

func withSecrets(t *testing.T, e *env) {
	t.Helper()
	key := make([]byte, secret.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	e.app = e.app.WithSecrets(box)
}

func totpAt(t *testing.T, sec string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(sec, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMFANeedsTheSecretKey(t *testing.T) {
	e := newEnv(t)
	_, err := e.app.BeginMFAEnrolment(e.ctx, e.principal(t, assay.RoleAdmin))
	wantCode(t, "enrolment without a secret key", err, assay.ECONFLICT)
}

// A code is good for its step and one either side, once.
func TestMFACodesWorkOnceWithinOneStep(t *testing.T) {
	e := newEnv(t)
	withSecrets(t, e)
	p := e.principal(t, assay.RoleMember)
	en, err := e.app.BeginMFAEnrolment(e.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.URI, "otpauth://totp/") || !strings.Contains(en.URI, "secret="+en.Secret) || !strings.HasPrefix(en.QR, "data:image/png;base64,") {
		t.Fatalf("enrolment = %+v", en)
	}
	if _, err := e.app.ConfirmMFAEnrolment(e.ctx, p, en.Token+"x", totpAt(t, en.Secret, e.clock.Now())); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("a tampered set-up form: %v", err)
	}
	other := e.principal(t, assay.RoleViewer)
	if _, err := e.app.ConfirmMFAEnrolment(e.ctx, other, en.Token, totpAt(t, en.Secret, e.clock.Now())); assay.ErrorCode(err) != assay.EINVALID {
		t.Fatalf("another user's set-up form: %v", err)
	}
	codes, err := e.app.ConfirmMFAEnrolment(e.ctx, p, en.Token, totpAt(t, en.Secret, e.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != assay.RecoveryCodeCount || !regexp.MustCompile(`^[a-z2-7]{5}-[a-z2-7]{5}$`).MatchString(codes[0]) {
		t.Fatalf("recovery codes = %v", codes)
	}
	now := e.clock.Now()
	for _, c := range []struct {
		what string
		at   time.Time
		want app.SecondFactor
	}{
		{"the enrolment's code again", now, app.SecondFactorWrong},
		{"three steps ahead", now.Add(90 * time.Second), app.SecondFactorWrong},
		{"the next step", now.Add(30 * time.Second), app.SecondFactorTOTP},
		{"the next step again", now.Add(30 * time.Second), app.SecondFactorWrong},
	} {
		got, err := e.app.VerifySecondFactor(e.ctx, p.User, "web", totpAt(t, en.Secret, c.at))
		if err != nil || got != c.want {
			t.Fatalf("%s: %v, %v; want %v", c.what, got, err, c.want)
		}
	}
	e.clock.Advance(2 * time.Minute)
	if got, _ := e.app.VerifySecondFactor(e.ctx, p.User, "web", totpAt(t, en.Secret, now.Add(60*time.Second))); got != app.SecondFactorWrong {
		t.Fatal("a code two minutes old was accepted")
	}
	if got, _ := e.app.VerifySecondFactor(e.ctx, p.User, "web", totpAt(t, en.Secret, e.clock.Now())); got != app.SecondFactorTOTP {
		t.Fatal("a current code was refused")
	}
	// A recovery code, typed loosely, works once.
	loose := " " + strings.ToUpper(strings.ReplaceAll(codes[7], "-", " ")) + " "
	if got, err := e.app.VerifySecondFactor(e.ctx, p.User, "web", loose); err != nil || got != app.SecondFactorRecovery {
		t.Fatalf("recovery code: %v %v", got, err)
	}
	if got, _ := e.app.VerifySecondFactor(e.ctx, p.User, "web", codes[7]); got != app.SecondFactorWrong {
		t.Fatal("a recovery code worked twice")
	}
	st, err := e.app.OwnMFA(e.ctx, p)
	if err != nil || !st.Enabled || st.RecoveryCodes != assay.RecoveryCodeCount-1 || st.SealedSecret != nil {
		t.Fatalf("own MFA = %+v %v", st, err)
	}
}

func TestMFAPolicyIsForAdmins(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	wantCode(t, "a member sets the policy", e.app.SetMFAPolicy(e.ctx, member, assay.MFAEveryone), assay.EFORBIDDEN)
	_, err := e.app.MFAPolicy(e.ctx, member)
	wantCode(t, "a member reads the policy", err, assay.EFORBIDDEN)
	wantCode(t, "an unknown policy", e.app.SetMFAPolicy(e.ctx, admin, "most"), assay.EINVALID)
	if err := e.app.SetMFAPolicy(e.ctx, admin, assay.MFAAdminsAuditors); err != nil {
		t.Fatal(err)
	}
	for role, want := range map[assay.Role]bool{assay.RoleAdmin: true, assay.RoleAuditor: true, assay.RoleMember: false, assay.RoleViewer: false, assay.RoleEmployee: false} {
		u := admin.User
		u.Role = role
		required, enabled, err := e.app.MFANeeded(e.ctx, u)
		if err != nil || required != want || enabled {
			t.Fatalf("%s: required %v enabled %v (%v), want required %v", role, required, enabled, err, want)
		}
	}
}
