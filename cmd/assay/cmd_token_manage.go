package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// newTokenManageCmds list and revoke API tokens, through the services the
// API tokens page calls: admins see every token, a user (--as) their own.
func newTokenManageCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newTokenListCmd(g), newTokenRevokeCmd(g)}
}

func newTokenListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var email string
	cmd := &cobra.Command{
		Use:   "list [--email E]",
		Short: "List API tokens (never their secrets): everyone's, one user's, or with --as your own",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			var userID int64
			if email != "" {
				if userID, err = userIDByEmail(ctx, p, "email", email); err != nil {
					return err
				}
			}
			tokens, err := m.App.APITokens(ctx, p, userID)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"tokens": tokens, "count": len(tokens)})
			}
			names := map[int64]string{}
			if users, err := p.Org.Users(ctx); err == nil {
				for _, u := range users {
					names[u.ID] = u.Email
				}
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSER\tNAME\tPREFIX\tCREATED\tLAST USED\tEXPIRES")
			for _, t := range tokens {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", t.ID, names[t.UserID], t.Name, t.Prefix, t.CreatedAt.Format("2006-01-02"),
					dateOr(t.LastUsedAt, "never"), dateOr(t.ExpiresAt, "never"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "only this user's tokens")
	f.add(cmd)
	return cmd
}

func newTokenRevokeCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token (admins: any; with --as, your own)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := numericID("API token", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.RevokeAPIToken(ctx, p, id); err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"revoked": id})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Revoked API token %d.\n", id)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func dateOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.Format("2006-01-02")
}
