package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newUserInviteCmd adds a person and e-mails them a link to choose their
// password, through the e-mail alert channel's SMTP server (it needs the
// secret key, as alerts do). The link points at --public-url.
func newUserInviteCmd(g *globals) *cobra.Command {
	var email, name, role, publicURL string
	return actingCommand(g, acting{
		Use:   "invite --email E --role R [--name N]",
		Short: "Invite a person by e-mail: they choose their own password through a single-use link (7 days)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&email, "email", "", "their email (required)")
			fl.StringVar(&name, "name", "", "their name")
			fl.StringVar(&role, "role", "member", "admin, member, auditor, viewer or employee")
			fl.StringVar(&publicURL, "public-url", os.Getenv("ASSAY_PUBLIC_URL"), "URL people use to reach Assay, for the link (env ASSAY_PUBLIC_URL; required)")
		},
		Before: func(*call) error {
			if publicURL == "" {
				return errors.New("give --public-url (or ASSAY_PUBLIC_URL): the e-mailed link must say where Assay is")
			}
			return nil
		},
		Run: func(c *call) error {
			a, err := alertServices(c.m)
			if err != nil {
				return err
			}
			u, err := a.InviteUser(c.ctx, c.p, app.NewInvite{Email: email, Name: name, Role: assay.Role(role)}, publicURL)
			if err != nil {
				return err
			}
			return c.Line(u, "Invited %s (%s) as %s; the link in the e-mail works once, for 7 days.", u.Name, u.Email, u.Role)
		},
	})
}
