package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newTokenManageCmds list and revoke API tokens, through the services the
// API tokens page calls: admins see every token, a user (--as) their own.
func newTokenManageCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newTokenListCmd(g), newTokenRevokeCmd(g)}
}

func newTokenListCmd(g *globals) *cobra.Command {
	var email string
	return actingCommand(g, acting{
		Use:   "list [--email E]",
		Short: "List API tokens (never their secrets): everyone's, one user's, or with --as your own",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&email, "email", "", "only this user's tokens")
		},
		Run: func(c *call) error {
			var userID int64
			var err error
			if email != "" {
				if userID, err = userIDByEmail(c.ctx, c.p, "email", email); err != nil {
					return err
				}
			}
			tokens, err := c.m.App.APITokens(c.ctx, c.p, userID)
			if err != nil {
				return err
			}
			return c.List("tokens", tokens, len(tokens), func(w io.Writer) error {
				names := map[int64]string{}
				if users, err := c.p.Org.Users(c.ctx); err == nil {
					for _, u := range users {
						names[u.ID] = u.Email
					}
				}
				return table(w, "ID\tUSER\tNAME\tPREFIX\tCREATED\tLAST USED\tEXPIRES", func(tw io.Writer) {
					for _, t := range tokens {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, names[t.UserID], t.Name, t.Prefix, t.CreatedAt.Format("2006-01-02"),
							dateOr(t.LastUsedAt, "never"), dateOr(t.ExpiresAt, "never"))
					}
				})
			})
		},
	})
}

func newTokenRevokeCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "revoke ID",
		Short: "Revoke an API token (admins: any; with --as, your own)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"API token"},
		Run: func(c *call) error {
			id := c.ID(0)
			if err := c.m.App.RevokeAPIToken(c.ctx, c.p, id); err != nil {
				return err
			}
			return c.Line(map[string]any{"revoked": id}, "Revoked API token %d.", id)
		},
	})
}

func dateOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.Format("2006-01-02")
}
