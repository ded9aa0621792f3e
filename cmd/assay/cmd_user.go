package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
)

func newUserCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	var email, name, role, orgSlug, orgName string
	var admin, passwordStdin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a user (the first one also creates the organisation)",
		Long: "Create a user. The password is read from standard input with --password-stdin, or from ASSAY_PASSWORD.\n" +
			"When the database has no organisation yet, one is created (--org-name) with the default control library.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if admin {
				role = string(assay.RoleAdmin)
			}
			password, err := readPassword(cmd, passwordStdin)
			if err != nil {
				return err
			}
			nu := assay.NewUser{Email: email, Name: name, Role: assay.Role(role), Password: password}
			if err := nu.Validate(); err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			actor := assay.Actor{Name: "assay user create", Via: "cli"}
			orgs, err := m.Store.Organizations(ctx)
			if err != nil {
				return err
			}
			var org assay.Organization
			if len(orgs) == 0 && orgSlug == "" {
				if org, err = m.Store.CreateOrganization(ctx, actor, orgName, assay.Slugify(orgName), assay.Scope{}, m.Catalog.LibraryControls()); err != nil {
					return errors.New(assay.ErrorMessage(err))
				}
				cmd.Printf("Created organisation %q with %d controls from the default library.\n", org.Name, len(m.Catalog.Controls))
			} else if org, err = firstOrg(ctx, m.Store, orgSlug); err != nil {
				return err
			}
			hash, err := auth.HashPassword(password, m.Config.PasswordParams)
			if err != nil {
				return err
			}
			u, err := m.Store.Org(org.ID).CreateUser(ctx, actor, nu, hash)
			if err != nil {
				if assay.ErrorCode(err) != assay.EINTERNAL {
					return errors.New(assay.ErrorMessage(err))
				}
				return err
			}
			cmd.Printf("Created %s <%s> as %s in %s.\n", u.Name, u.Email, u.Role, org.Name)
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "email address (required)")
	create.Flags().StringVar(&name, "name", "", "full name")
	create.Flags().StringVar(&role, "role", "member", "admin, member, auditor or viewer")
	create.Flags().BoolVar(&admin, "admin", false, "shorthand for --role admin")
	create.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	create.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	create.Flags().StringVar(&orgName, "org-name", "My Organisation", "name of the organisation to create when there is none")
	_ = create.MarkFlagRequired("email")
	cmd.AddCommand(create, newUserPasswordCmd(g))
	cmd.AddCommand(newUserManageCmds(g)...)
	return cmd
}

// newUserPasswordCmd resets a password from the shell: the way back in
// for an admin who forgot theirs. It ends the user's sessions.
func newUserPasswordCmd(g *globals) *cobra.Command {
	var email string
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "password",
		Short: "Set a user's password (read from standard input or ASSAY_PASSWORD)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			password, err := readPassword(cmd, fromStdin)
			if err != nil {
				return err
			}
			if err := assay.ValidatePassword(password, email); err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			u, _, err := m.Store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
			if err != nil {
				return fmt.Errorf("user %s: %s", email, assay.ErrorMessage(err))
			}
			if err := assay.ValidatePassword(password, u.Email, u.Name); err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			hash, err := auth.HashPassword(password, m.Config.PasswordParams)
			if err != nil {
				return err
			}
			if err := m.Store.Org(u.OrgID).SetPassword(ctx, assay.Actor{Name: "assay user password", Via: "cli"}, u.ID, hash); err != nil {
				return err
			}
			cmd.Printf("Password set for %s; their sessions have ended.\n", u.Email)
			return nil
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the user's email (required)")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

// readPassword reads a password from the first line of standard input, or
// from ASSAY_PASSWORD.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	password := os.Getenv("ASSAY_PASSWORD")
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if password == "" {
		return "", errors.New("give a password with --password-stdin or ASSAY_PASSWORD")
	}
	return password, nil
}

func newTokenCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var email, name, orgSlug, expires, scope string
	var days int
	var jsonOut bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token for a user and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			u, _, err := m.Store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
			if err != nil {
				return fmt.Errorf("user %s: %s", email, assay.ErrorMessage(err))
			}
			if orgSlug != "" {
				org, err := m.Store.OrganizationBySlug(ctx, orgSlug)
				if err != nil || org.ID != u.OrgID {
					return fmt.Errorf("user %s is not in organisation %s", email, orgSlug)
				}
			}
			if days > 0 && expires == "" {
				expires = strconv.Itoa(days)
			}
			secret, t, err := m.App.IssueAPITokenAsOperator(ctx, u, app.NewAPIToken{Name: name, Scope: scope, Expires: expires})
			if err != nil {
				return errors.New(assay.ErrorMessage(err))
			}
			if jsonOut {
				return printJSON(cmd.OutOrStdout(), map[string]any{"secret": secret, "token": t})
			}
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			fmt.Fprintf(cmd.ErrOrStderr(), "Created API token %q for %s; it is shown only this once.\n", name, u.Email)
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "the user the token acts as (required)")
	create.Flags().StringVar(&name, "name", "cli", "what the token is for")
	create.Flags().IntVar(&days, "expires-days", 0, "days until it expires (older spelling of --expires)")
	create.Flags().StringVar(&expires, "expires", "", "when it expires: days (30), a date (2027-01-31) or never (admins' tokens only); default 90 days, at most a year")
	create.Flags().BoolVar(&jsonOut, "json", false, "print the secret and the token as JSON")
	create.Flags().StringVar(&scope, "scope", "read-write", "read-only (GET only) or read-write")
	create.Flags().StringVar(&orgSlug, "org", "", "organisation slug (optional check)")
	_ = create.MarkFlagRequired("email")
	cmd.AddCommand(create)
	cmd.AddCommand(newTokenManageCmds(g)...)
	return cmd
}
