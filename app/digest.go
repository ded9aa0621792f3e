package app

import (
	"context"
	"strings"

	"github.com/assay-platform/assay"
)

// Reminder digests: each person's e-mail of what they own or must do
// that is overdue or falls due soon (digest_content.go), sent daily or
// weekly at a local hour (digest_send.go), with an unsubscribe link per
// kind (digest_unsubscribe.go). The organisation's defaults are an
// admin's; each person's own choices are theirs.

// DigestMailer sends a digest through the organisation's mail server
// (alert.Notifier) and makes links absolute.
type DigestMailer interface {
	SendDigestMail(ctx context.Context, orgID int64, m assay.DigestMail) error
	Link(path string) string
}

func (a *App) digestMailer() (DigestMailer, error) {
	m, ok := a.alerts.(DigestMailer)
	if !ok || m == nil {
		return nil, assay.Errorf(assay.ECONFLICT, "E-mail is not available on this server (no secret key is configured for the mail channel).")
	}
	return m, nil
}

// link is path as the digest shows it: absolute when the server knows its
// public address.
func (a *App) link(path string) string {
	if m, err := a.digestMailer(); err == nil {
		return m.Link(path)
	}
	return path
}

func mayManageDigests(p Principal) error {
	if !p.User.Can(assay.ActionManageUsers, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins set the organisation's reminder defaults; your role is %s.", p.User.Role)
	}
	return nil
}

func mayOwnDigest(p Principal) error {
	if !p.User.Can(assay.ActionUsePortal, nil) || p.User.EngagementLimited() {
		return assay.Errorf(assay.EFORBIDDEN, "Your account has no reminder e-mails.")
	}
	return nil
}

// DigestSettings are the organisation's reminder defaults.
func (a *App) DigestSettings(ctx context.Context, p Principal) (assay.DigestSettings, error) {
	if err := mayOwnDigest(p); err != nil {
		return assay.DigestSettings{}, err
	}
	return p.Org.DigestSettings(ctx)
}

// UpdateDigestSettings saves the organisation's reminder defaults (admins).
func (a *App) UpdateDigestSettings(ctx context.Context, p Principal, s assay.DigestSettings) (assay.DigestSettings, error) {
	if err := mayManageDigests(p); err != nil {
		return s, err
	}
	return p.Org.UpdateDigestSettings(ctx, p.Actor(), s)
}

// MyDigest is the principal's own reminder choices and the schedule they
// make with the organisation's defaults.
type MyDigest struct {
	Prefs    assay.DigestPrefs    `json:"prefs"`
	Defaults assay.DigestSettings `json:"defaults"`
	Schedule assay.DigestSchedule `json:"schedule"`
	Kinds    []string             `json:"kinds"`
}

// MyDigestPrefs reads the principal's own reminder choices.
func (a *App) MyDigestPrefs(ctx context.Context, p Principal) (MyDigest, error) {
	if err := mayOwnDigest(p); err != nil {
		return MyDigest{}, err
	}
	defaults, err := p.Org.DigestSettings(ctx)
	if err != nil {
		return MyDigest{}, err
	}
	prefs, err := p.Org.DigestPrefs(ctx, p.User.ID)
	if err != nil {
		return MyDigest{}, err
	}
	return MyDigest{Prefs: prefs, Defaults: defaults, Schedule: assay.ResolveDigest(defaults, prefs), Kinds: assay.DigestKinds}, nil
}

// UpdateMyDigestPrefs saves the principal's own choices (nobody else's:
// the user is the principal's).
func (a *App) UpdateMyDigestPrefs(ctx context.Context, p Principal, prefs assay.DigestPrefs) (MyDigest, error) {
	if err := mayOwnDigest(p); err != nil {
		return MyDigest{}, err
	}
	prefs.UserID = p.User.ID
	if prefs.OptOut == nil {
		prefs.OptOut = []string{}
	}
	if _, err := p.Org.UpdateDigestPrefs(ctx, p.Actor(), prefs); err != nil {
		return MyDigest{}, err
	}
	return a.MyDigestPrefs(ctx, p)
}

func equalFoldEmail(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
