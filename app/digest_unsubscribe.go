package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/secret"
)

// Unsubscribe links: "/unsubscribe?t=" + payload + "." + signature, where
// the payload names the organisation, the user and the kind ("all" turns
// the digest off) and the signature is an HMAC-SHA256 under the
// organisation's own key, kept sealed with the server's secret key. A
// link changes only the preferences it names; a tampered one changes
// nothing.

// DigestAll is the kind of the link that turns the digest off.
const DigestAll = "all"

var errBadUnsubscribe = assay.Errorf(assay.EINVALID, "This unsubscribe link is not valid (it may have been cut short or changed); use the link in your latest reminder e-mail, or change your reminders under Account.")

func digestKeyAAD(orgID int64) []byte { return secret.AAD(orgID, "digest-unsubscribe") }

// digestKey is the organisation's unsubscribe key, made on first use.
func (a *App) digestKey(ctx context.Context, orgID int64) ([]byte, error) {
	if a.secrets == nil {
		return nil, assay.Errorf(assay.ECONFLICT, "Unsubscribe links need the server's secret key.")
	}
	org := a.store.Org(orgID)
	sealed, err := org.DigestKey(ctx, "")
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		var k [32]byte
		_, _ = rand.Read(k[:])
		b, err := a.secrets.Seal(digestKeyAAD(orgID), map[string]string{"key": hex.EncodeToString(k[:])})
		if err != nil {
			return nil, err
		}
		sealed, err = org.DigestKey(ctx, base64.StdEncoding.EncodeToString(b))
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, fmt.Errorf("digest key: %w", err)
	}
	m, err := a.secrets.Open(digestKeyAAD(orgID), raw)
	if err != nil {
		return nil, fmt.Errorf("open digest key: %w", err)
	}
	return hex.DecodeString(m["key"])
}

func digestSign(key []byte, payload string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("assay digest unsubscribe\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// unsubscribeToken is the signed token for (org, user, kind).
func unsubscribeToken(key []byte, orgID, userID int64, kind string) string {
	payload := fmt.Sprintf("%d.%d.%s", orgID, userID, kind)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + digestSign(key, payload)
}

// unsubscribeURL is the link's address.
func (a *App) unsubscribeURL(key []byte, orgID, userID int64, kind string) string {
	return a.link("/unsubscribe?t=" + url.QueryEscape(unsubscribeToken(key, orgID, userID, kind)))
}

// Unsubscription is what a valid link would change.
type Unsubscription struct {
	OrgID     int64  `json:"-"`
	UserID    int64  `json:"-"`
	Email     string `json:"email"`
	Kind      string `json:"kind"`
	KindTitle string `json:"kind_title"`
	Done      bool   `json:"done"` // already unsubscribed
}

// CheckUnsubscribe reads a link's token without changing anything (the
// confirmation page).
func (a *App) CheckUnsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	enc, sig, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok || len(token) > 300 {
		return Unsubscription{}, errBadUnsubscribe
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return Unsubscription{}, errBadUnsubscribe
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 {
		return Unsubscription{}, errBadUnsubscribe
	}
	orgID, err1 := strconv.ParseInt(parts[0], 10, 64)
	userID, err2 := strconv.ParseInt(parts[1], 10, 64)
	kind := parts[2]
	if err1 != nil || err2 != nil || orgID <= 0 || userID <= 0 || (kind != DigestAll && !slices.Contains(assay.DigestKinds, kind)) {
		return Unsubscription{}, errBadUnsubscribe
	}
	key, err := a.digestKey(ctx, orgID)
	if err != nil {
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return Unsubscription{}, errBadUnsubscribe
		}
		return Unsubscription{}, err
	}
	if !hmac.Equal([]byte(sig), []byte(digestSign(key, string(raw)))) {
		return Unsubscription{}, errBadUnsubscribe
	}
	org := a.store.Org(orgID)
	u, err := org.User(ctx, userID)
	if err != nil {
		return Unsubscription{}, errBadUnsubscribe
	}
	out := Unsubscription{OrgID: orgID, UserID: userID, Email: u.Email, Kind: kind, KindTitle: "all reminder e-mails"}
	if kind != DigestAll {
		out.KindTitle = "reminders about " + strings.ToLower(assay.DigestKindTitles[kind])
	}
	schedule, err := a.scheduleOf(ctx, Principal{User: u, Org: org})
	if err != nil {
		return out, err
	}
	out.Done = schedule.Frequency == assay.DigestOff || (kind != DigestAll && !schedule.Wants(kind))
	return out, nil
}

// Unsubscribe applies a link: the kind is added to the user's opt-outs
// (or their digest turned off), recorded in the trail as their change by
// e-mail link.
func (a *App) Unsubscribe(ctx context.Context, token string) (Unsubscription, error) {
	us, err := a.CheckUnsubscribe(ctx, token)
	if err != nil {
		return us, err
	}
	org := a.store.Org(us.OrgID)
	u, err := org.User(ctx, us.UserID)
	if err != nil {
		return us, errBadUnsubscribe
	}
	schedule, err := a.scheduleOf(ctx, Principal{User: u, Org: org})
	if err != nil {
		return us, err
	}
	prefs, err := org.DigestPrefs(ctx, u.ID)
	if err != nil {
		return us, err
	}
	prefs.OptOut = schedule.OptOut // the organisation's opt-outs stay out
	if us.Kind == DigestAll {
		prefs.Frequency = assay.DigestOff
	} else if !slices.Contains(prefs.OptOut, us.Kind) {
		prefs.OptOut = append(prefs.OptOut, us.Kind)
	}
	if _, err := org.UpdateDigestPrefs(ctx, assay.ActorFor(u, "email"), prefs); err != nil {
		return us, err
	}
	us.Done = true
	return us, nil
}
