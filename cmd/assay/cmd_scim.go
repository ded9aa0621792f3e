package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
)

// newSCIMCmd manages SCIM provisioning through the services the SCIM
// settings page calls (admins, or the operator).
func newSCIMCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "scim", Short: "SCIM provisioning: the identity provider's token and the groups mapped to roles"}
	cmd.AddCommand(
		actingCommand(g, acting{
			Use:   "token",
			Short: "Make (or rotate) the organisation's SCIM token and print it once on standard output",
			Long:  "Make the SCIM bearer token the identity provider uses at /scim/v2; the previous token stops working at once. Only a hash is kept.",
			Args:  cobra.NoArgs,
			Run: func(c *call) error {
				secret, tok, err := c.m.App.RotateSCIMToken(c.ctx, c.p)
				if err != nil {
					return err
				}
				if c.json {
					return printJSON(c.w, map[string]any{"secret": secret, "token": tok})
				}
				fmt.Fprintln(c.w, secret)
				fmt.Fprintln(c.cmd.ErrOrStderr(), "The SCIM token is shown only this once; the previous one no longer works.")
				return nil
			},
		}),
		actingCommand(g, acting{
			Use:   "show",
			Short: "Show the SCIM token's prefix and the groups mapped to roles",
			Args:  cobra.NoArgs,
			Run: func(c *call) error {
				out := map[string]any{"token": nil}
				tok, err := c.m.App.SCIMTokenInfo(c.ctx, c.p)
				if err == nil {
					out["token"] = tok
				} else if assay.ErrorCode(err) != assay.ENOTFOUND {
					return err
				}
				roles, err := c.m.App.SCIMGroupRoles(c.ctx, c.p)
				if err != nil {
					return err
				}
				out["group_roles"] = roles
				return c.Out(out, func(w io.Writer) error {
					if out["token"] == nil {
						fmt.Fprintln(w, "SCIM token: none yet (assay scim token makes one)")
					} else {
						fmt.Fprintf(w, "SCIM token: %s… made %s\n", tok.Prefix, tok.CreatedAt.Format("2006-01-02 15:04 MST"))
					}
					return table(w, "GROUP\tROLE", func(tw io.Writer) {
						for _, m := range roles {
							fmt.Fprintf(tw, "%s\t%s\n", m.DisplayName, m.Role)
						}
					})
				})
			},
		}),
		actingCommand(g, acting{
			Use:   "map GROUP ROLE",
			Short: `Map a group the provider pushes to an Assay role ("" removes the mapping)`,
			Args:  cobra.ExactArgs(2),
			Run: func(c *call) error {
				m := assay.SCIMGroupRole{DisplayName: c.args[0], Role: assay.Role(c.args[1])}
				if err := c.m.App.SetSCIMGroupRole(c.ctx, c.p, m); err != nil {
					return err
				}
				if m.Role == "" {
					return c.Line(m, "Removed the mapping of group %q.", m.DisplayName)
				}
				return c.Line(m, "Mapped group %q to the role %s.", m.DisplayName, m.Role)
			},
		}),
	)
	return cmd
}
