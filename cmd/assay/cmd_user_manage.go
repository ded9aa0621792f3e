package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newUserManageCmds list users and change their role or disable them,
// through the services the Users page calls.
func newUserManageCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newUserInviteCmd(g), newUserListCmd(g), newUserUpdateCmd(g)}
}

// orgUserByEmail is the user of the principal's organisation with that
// email.
func orgUserByEmail(ctx context.Context, m *Main, p app.Principal, email string) (assay.User, error) {
	users, err := m.App.Users(ctx, p)
	if err != nil {
		return assay.User{}, err
	}
	email = strings.ToLower(strings.TrimSpace(email))
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return u, nil
		}
	}
	return assay.User{}, assay.Errorf(assay.ENOTFOUND, "No user %s in this organisation.", email)
}

func userState(u assay.User) string {
	if u.Disabled {
		return "disabled"
	}
	return "active"
}

func newUserListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the organisation's users",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			users, err := c.m.App.Users(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.Out(map[string]any{"users": users}, func(w io.Writer) error {
				return table(w, "ID\tEMAIL\tNAME\tROLE\tSTATE\tLAST SIGN-IN", func(tw io.Writer) {
					for _, u := range users {
						last := "never"
						if u.LastLoginAt != nil {
							last = u.LastLoginAt.Format("2006-01-02 15:04")
						}
						role := string(u.Role)
						if u.EngagementLimited() {
							role += fmt.Sprintf(" (audit %d)", u.EngagementID)
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, role, userState(u), last)
					}
				})
			})
		},
	})
}

func newUserUpdateCmd(g *globals) *cobra.Command {
	var role string
	var disable, enable, resetMFA bool
	return actingCommand(g, acting{
		Use:   "update EMAIL [--role ROLE] [--disable|--enable] [--reset-mfa]",
		Short: "Change a user's role, disable (ending their sessions) or enable them, or reset their two-step sign-in",
		Args:  cobra.ExactArgs(1),
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&role, "role", "", "admin, member, auditor, viewer or employee")
			fl.BoolVar(&disable, "disable", false, "disable the user and end their sessions")
			fl.BoolVar(&enable, "enable", false, "enable a disabled user")
			fl.BoolVar(&resetMFA, "reset-mfa", false, "remove the user's authenticator, recovery codes and passkeys (they lost them) and end their sessions")
		},
		Before: func(c *call) error {
			changeRole := c.changed("role")
			if disable && enable {
				return assay.Invalid("disable", "Give --disable or --enable, not both.")
			}
			if !changeRole && !disable && !enable && !resetMFA {
				return assay.Invalid("", "Nothing to change: give --role, --disable, --enable or --reset-mfa.")
			}
			if changeRole && !assay.Role(role).Valid() {
				return assay.Invalid("role", "Unknown role %q.", role)
			}
			return nil
		},
		Run: func(c *call) error {
			u, err := orgUserByEmail(c.ctx, c.m, c.p, c.args[0])
			if err != nil {
				return err
			}
			if c.changed("role") {
				if u, err = c.m.App.UpdateUserRole(c.ctx, c.p, u.ID, assay.Role(role)); err != nil {
					return err
				}
			}
			if disable || enable {
				if u, err = c.m.App.SetUserDisabled(c.ctx, c.p, u.ID, disable); err != nil {
					return err
				}
			}
			if resetMFA {
				if err := c.m.App.ResetUserMFA(c.ctx, c.p, u.ID); err != nil {
					return err
				}
			}
			return c.Line(u, "%s <%s> is %s, %s.", u.Name, u.Email, u.Role, userState(u))
		},
	})
}
