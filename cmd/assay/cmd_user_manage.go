package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newUserManageCmds list users and change their role or disable them,
// through the services the Users page calls.
func newUserManageCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newUserListCmd(g), newUserUpdateCmd(g)}
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
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the organisation's users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			users, err := m.App.Users(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"users": users})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATE\tLAST SIGN-IN")
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
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newUserUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var role string
	var disable, enable bool
	cmd := &cobra.Command{
		Use:   "update EMAIL [--role ROLE] [--disable|--enable]",
		Short: "Change a user's role, or disable (ending their sessions) or enable them",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			changeRole := cmd.Flags().Changed("role")
			if disable && enable {
				return assay.Invalid("disable", "Give --disable or --enable, not both.")
			}
			if !changeRole && !disable && !enable {
				return assay.Invalid("", "Nothing to change: give --role, --disable or --enable.")
			}
			if changeRole && !assay.Role(role).Valid() {
				return assay.Invalid("role", "Unknown role %q.", role)
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			u, err := orgUserByEmail(ctx, m, p, args[0])
			if err != nil {
				return err
			}
			if changeRole {
				if u, err = m.App.UpdateUserRole(ctx, p, u.ID, assay.Role(role)); err != nil {
					return err
				}
			}
			if disable || enable {
				if u, err = m.App.SetUserDisabled(ctx, p, u.ID, disable); err != nil {
					return err
				}
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), u)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s <%s> is %s, %s.\n", u.Name, u.Email, u.Role, userState(u))
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "admin, member, auditor, viewer or employee")
	cmd.Flags().BoolVar(&disable, "disable", false, "disable the user and end their sessions")
	cmd.Flags().BoolVar(&enable, "enable", false, "enable a disabled user")
	f.add(cmd)
	return cmd
}
