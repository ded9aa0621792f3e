package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/secret"
)

// Two-step sign-in: a TOTP authenticator (RFC 6238: SHA-1, six digits,
// 30-second steps, one step of clock drift either way) and ten one-time
// recovery codes. The secret is sealed with the installation's secret key,
// bound to the organisation and the user; recovery codes are kept as
// SHA-256 hashes. Each code works once: the store remembers the last step
// a code was accepted at.

// totpPeriod is the length of a TOTP step.
const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// ErrNoSecrets is the refusal when the server has no secret key.
var ErrNoSecrets = assay.Errorf(assay.ECONFLICT, "Two-step sign-in is not available on this server (no secret key is configured).")

// WithSecrets returns the services sealing TOTP secrets with box (made
// after the services, with the monitoring runner).
func (a *App) WithSecrets(box *secret.Box) *App {
	c := *a
	c.secrets = box
	return &c
}

// MFAAvailable tells whether two-step sign-in can be set up (a secret key
// is configured).
func (a *App) MFAAvailable() bool { return a.secrets != nil }

func mfaAAD(orgID, userID int64) []byte {
	return secret.AAD(orgID, "totp:"+strconv.FormatInt(userID, 10))
}

// enrolAAD binds the secret carried by the enrolment form to its user and
// to the form: a sealed secret from the form is not a stored one.
func enrolAAD(orgID, userID int64) []byte {
	return secret.AAD(orgID, "totp-enrol:"+strconv.FormatInt(userID, 10))
}

// MFAEnrolment is what a user sees to set up an authenticator.
type MFAEnrolment struct {
	Secret string // base32, to type into an authenticator
	URI    string // otpauth://totp/…
	QR     string // the URI as a QR code, a PNG data: URL
	Token  string // the secret sealed for the confirming form
}

// OwnMFA is the user's own second factor (never its secret).
func (a *App) OwnMFA(ctx context.Context, p Principal) (assay.MFAState, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return assay.MFAState{}, err
	}
	st, err := a.store.Org(p.User.OrgID).MFA(ctx, p.User.ID)
	st.SealedSecret = nil
	return st, err
}

// BeginMFAEnrolment makes a new TOTP secret for the user to add to their
// authenticator. Nothing is stored until a code confirms it.
func (a *App) BeginMFAEnrolment(ctx context.Context, p Principal) (MFAEnrolment, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return MFAEnrolment{}, err
	}
	if a.secrets == nil {
		return MFAEnrolment{}, ErrNoSecrets
	}
	org := a.store.Org(p.User.OrgID)
	if st, err := org.MFA(ctx, p.User.ID); err != nil {
		return MFAEnrolment{}, err
	} else if st.Enabled {
		return MFAEnrolment{}, assay.Errorf(assay.ECONFLICT, "Two-step sign-in is already on; turn it off first to set up another authenticator.")
	}
	o, err := org.Organization(ctx)
	if err != nil {
		return MFAEnrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Assay " + o.Name, AccountName: p.User.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Rand: rand.Reader})
	if err != nil {
		return MFAEnrolment{}, fmt.Errorf("totp secret: %w", err)
	}
	sealed, err := a.secrets.Seal(enrolAAD(p.User.OrgID, p.User.ID), map[string]string{"totp": key.Secret()})
	if err != nil {
		return MFAEnrolment{}, err
	}
	return enrolmentView("Assay "+o.Name, p.User.Email, key.Secret(), base64.RawURLEncoding.EncodeToString(sealed))
}

// ReopenMFAEnrolment shows again the enrolment a form's token carries (the
// code typed did not confirm it).
func (a *App) ReopenMFAEnrolment(ctx context.Context, p Principal, token string) (MFAEnrolment, error) {
	sec, err := a.openEnrolment(p, token)
	if err != nil {
		return MFAEnrolment{}, err
	}
	o, err := a.store.Org(p.User.OrgID).Organization(ctx)
	if err != nil {
		return MFAEnrolment{}, err
	}
	return enrolmentView("Assay "+o.Name, p.User.Email, sec, token)
}

// enrolmentView is the otpauth URI of the secret and its QR code.
func enrolmentView(issuer, account, sec, token string) (MFAEnrolment, error) {
	q := url.Values{"secret": {sec}, "issuer": {issuer}, "period": {strconv.Itoa(totpPeriod)}, "digits": {"6"}, "algorithm": {"SHA1"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return MFAEnrolment{}, fmt.Errorf("totp key: %w", err)
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return MFAEnrolment{}, fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return MFAEnrolment{}, fmt.Errorf("totp qr code: %w", err)
	}
	return MFAEnrolment{Secret: sec, URI: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), Token: token}, nil
}

func (a *App) openEnrolment(p Principal, token string) (string, error) {
	if err := mayManageOwnAccount(p); err != nil {
		return "", err
	}
	if a.secrets == nil {
		return "", ErrNoSecrets
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", assay.Invalid("token", "The set-up form has expired; start again.")
	}
	m, err := a.secrets.Open(enrolAAD(p.User.OrgID, p.User.ID), raw)
	if err != nil || m["totp"] == "" {
		return "", assay.Invalid("token", "The set-up form has expired; start again.")
	}
	return m["totp"], nil
}

// ConfirmMFAEnrolment turns two-step sign-in on once a current code from
// the authenticator proves it holds the secret. It returns the recovery
// codes, shown this once: only their hashes are kept.
func (a *App) ConfirmMFAEnrolment(ctx context.Context, p Principal, token, code string) ([]string, error) {
	sec, err := a.openEnrolment(p, token)
	if err != nil {
		return nil, err
	}
	step, ok := matchTOTP(sec, code, a.clock.Now())
	if !ok {
		return nil, assay.Invalid("code", "That code is not right; enter the six digits your authenticator shows now.")
	}
	sealed, err := a.secrets.Seal(mfaAAD(p.User.OrgID, p.User.ID), map[string]string{"totp": sec})
	if err != nil {
		return nil, err
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	if err := a.store.Org(p.User.OrgID).EnableMFA(ctx, p.Actor(), p.User.ID, sealed, step, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableOwnMFA turns the user's two-step sign-in off; a current code or
// their password proves it is them.
func (a *App) DisableOwnMFA(ctx context.Context, p Principal, code, password string) error {
	if err := mayManageOwnAccount(p); err != nil {
		return err
	}
	org := a.store.Org(p.User.OrgID)
	st, err := org.MFA(ctx, p.User.ID)
	if err != nil {
		return err
	}
	if !st.Enabled {
		return assay.Errorf(assay.ENOTFOUND, "Two-step sign-in is not on.")
	}
	if pol, err := org.MFAPolicy(ctx); err != nil {
		return err
	} else if pol.Requires(p.User.Role) {
		return assay.Errorf(assay.EFORBIDDEN, "Your organisation requires two-step sign-in for your role (%s); it cannot be turned off.", p.User.Role)
	}
	switch {
	case strings.TrimSpace(code) != "":
		ok, err := a.checkTOTP(ctx, p.User, st, code)
		if err != nil {
			return err
		}
		if !ok {
			return assay.Invalid("code", "That code is not right.")
		}
	case password != "":
		_, hash, err := a.store.UserByEmail(ctx, p.User.Email)
		if err != nil {
			return err
		}
		if err := auth.CheckPassword(password, hash); err != nil {
			if err != auth.ErrMismatch {
				return err
			}
			return assay.Invalid("password", "Your password is not right.")
		}
	default:
		return assay.Invalid("code", "Enter a current code or your password to turn two-step sign-in off.")
	}
	return org.DisableMFA(ctx, p.Actor(), p.User.ID)
}

// SecondFactor is how a sign-in's second factor went.
type SecondFactor int

const (
	SecondFactorWrong    SecondFactor = iota // neither a current code nor an unused recovery code
	SecondFactorTOTP                         // a current code from the authenticator
	SecondFactorRecovery                     // a recovery code, now used up
)

// VerifySecondFactor checks the code a user typed after their password:
// a current TOTP code (each works once) or one of their recovery codes,
// which is then used up (and recorded in the trail).
func (a *App) VerifySecondFactor(ctx context.Context, u assay.User, via, code string) (SecondFactor, error) {
	org := a.store.Org(u.OrgID)
	st, err := org.MFA(ctx, u.ID)
	if err != nil {
		return SecondFactorWrong, err
	}
	if !st.Enabled {
		return SecondFactorWrong, nil // passkeys only: no code can be right
	}
	if digits := onlyDigits(code); len(digits) == 6 {
		ok, err := a.checkTOTP(ctx, u, st, digits)
		if ok || err != nil {
			return SecondFactorTOTP, err
		}
		return SecondFactorWrong, nil
	}
	norm := normalizeRecoveryCode(code)
	if len(norm) != recoveryCodeLen {
		return SecondFactorWrong, nil
	}
	ok, err := org.UseRecoveryCode(ctx, assay.ActorFor(u, via), u.ID, auth.HashToken(norm))
	if err != nil || !ok {
		return SecondFactorWrong, err
	}
	return SecondFactorRecovery, nil
}

// MFANeeded tells whether the organisation's policy requires u to have a
// second factor, and whether they have one (a TOTP authenticator or a
// passkey).
func (a *App) MFANeeded(ctx context.Context, u assay.User) (required, enabled bool, err error) {
	f, err := a.SecondFactors(ctx, u)
	return f.Required, f.TOTP || f.Passkeys > 0, err
}

// SecondFactors is what a user may prove themself with after their
// password, and whether the policy requires them to have one.
type SecondFactors struct {
	Required bool
	TOTP     bool
	Passkeys int
}

// SecondFactors reads u's second factors and the policy.
func (a *App) SecondFactors(ctx context.Context, u assay.User) (SecondFactors, error) {
	org := a.store.Org(u.OrgID)
	pol, err := org.MFAPolicy(ctx)
	if err != nil {
		return SecondFactors{}, err
	}
	st, err := org.MFA(ctx, u.ID)
	if err != nil {
		return SecondFactors{}, err
	}
	keys, err := org.Passkeys(ctx, u.ID)
	if err != nil {
		return SecondFactors{}, err
	}
	return SecondFactors{Required: pol.Requires(u.Role), TOTP: st.Enabled, Passkeys: len(keys)}, nil
}

// checkTOTP checks code against the user's stored secret and spends its
// step.
func (a *App) checkTOTP(ctx context.Context, u assay.User, st assay.MFAState, code string) (bool, error) {
	if a.secrets == nil {
		return false, ErrNoSecrets
	}
	m, err := a.secrets.Open(mfaAAD(u.OrgID, u.ID), st.SealedSecret)
	if err != nil {
		return false, fmt.Errorf("open totp secret of user %d: %w", u.ID, err)
	}
	step, ok := matchTOTP(m["totp"], code, a.clock.Now())
	if !ok || step <= st.LastStep {
		return false, nil
	}
	return a.store.Org(u.OrgID).AcceptTOTPStep(ctx, u.ID, step)
}

// matchTOTP finds the step (within one of now's) whose code is code.
func matchTOTP(sec, code string, now time.Time) (int64, bool) {
	code = onlyDigits(code)
	if len(code) != 6 || sec == "" {
		return 0, false
	}
	var found int64
	ok := false
	for _, off := range []int64{-1, 0, 1} {
		t := now.Add(time.Duration(off*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(sec, t, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !ok {
			found, ok = t.Unix()/totpPeriod, true
		}
	}
	return found, ok
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-':
			return -1
		}
		return 'x'
	}, strings.TrimSpace(s))
}

// recoveryCodeLen is the length of a recovery code without its dash: ten
// base32 characters, 50 bits.
const recoveryCodeLen = 10

var recoveryAlphabet = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func newRecoveryCodes() (codes, hashes []string, err error) {
	for range assay.RecoveryCodeCount {
		b := make([]byte, 7)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("recovery code: %w", err)
		}
		c := recoveryAlphabet.EncodeToString(b)[:recoveryCodeLen]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, auth.HashToken(c))
	}
	return codes, hashes, nil
}

func normalizeRecoveryCode(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
}
