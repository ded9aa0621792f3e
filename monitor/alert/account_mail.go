package alert

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/assay-platform/assay"
)

// ErrNoMailServer is the refusal when the organisation has no enabled
// e-mail alert channel whose SMTP server could carry account mail.
var ErrNoMailServer = assay.Errorf(assay.ECONFLICT, "No e-mail alert channel is set up to send mail through; an admin adds one under Settings → Alerts.")

// SendAccountMail sends one plain-text message to one person (a password
// reset or an invitation) through the SMTP server of the organisation's
// first enabled e-mail alert channel: its host, sender and credentials,
// not its recipients.
func (n *Notifier) SendAccountMail(ctx context.Context, orgID int64, to, subject, text string) error {
	return n.sendPersonal(ctx, orgID, to, func(settings map[string]string) ([]byte, error) {
		return n.composeMail(settings, subject, text, "")
	})
}

// sendPersonal sends the message compose makes (from the channel's
// settings, with "to" replaced) through the first enabled e-mail channel.
func (n *Notifier) sendPersonal(ctx context.Context, orgID int64, to string, compose func(settings map[string]string) ([]byte, error)) error {
	channels, err := n.Store.Org(orgID).AlertChannels(ctx)
	if err != nil {
		return err
	}
	for _, ch := range channels {
		if ch.Kind != assay.AlertEmail || !ch.Enabled {
			continue
		}
		secrets := map[string]string{}
		if len(ch.Secrets) > 0 {
			if n.Box == nil {
				return errors.New("no secret key to open the mail channel's secrets")
			}
			if secrets, err = n.Box.Open(aad(orgID, ch.ID), ch.Secrets); err != nil {
				return err
			}
		}
		settings := maps.Clone(ch.Settings)
		settings["to"] = to
		if err := validate(ch.Kind, settings, secrets); err != nil {
			return fmt.Errorf("mail channel %q: %w", ch.Name, err)
		}
		msg, err := compose(settings)
		if err != nil {
			return err
		}
		_, err = n.retry(ctx, func() error { return n.smtpOnce(ctx, settings, secrets, msg) })
		return err
	}
	return ErrNoMailServer
}
