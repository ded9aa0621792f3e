package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newPolicyAcceptCmd(g *globals) *cobra.Command {
	var f actingFlags
	var person, version string
	cmd := &cobra.Command{
		Use:   "accept ID --as EMAIL | accept ID --person EMAIL [--version V]",
		Short: "Accept a policy's published version: the --as person for themself, or an admin records it for --person",
		Long: "With --as alone, the person signed in as accepts the published version that applies to them, as in the portal. " +
			"With --person, an admin records the acceptance on that person's behalf (a signed paper copy, for example), as the API's " +
			"POST /api/v1/policies/{id}/acceptances does.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := policyID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			var a assay.PolicyAcceptance
			if person == "" {
				if version != "" {
					return fmt.Errorf("--version goes with --person; a person accepts the published version")
				}
				a, err = m.App.AcceptPolicy(ctx, p, id)
			} else {
				a, err = recordAcceptance(ctx, m, p, id, person, version)
			}
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s accepted %s version %s on %s (recorded by %s).\n", a.PersonName, a.PolicyTitle, a.Version,
				assay.FormatDate(&a.AcceptedAt), a.ByName)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&person, "person", "", "record the acceptance for this person on the roster (email; admins)")
	cmd.Flags().StringVar(&version, "version", "", "with --person: the version's number or id (default: the published one)")
	return cmd
}

// recordAcceptance is an admin recording an acceptance for someone else.
func recordAcceptance(ctx context.Context, m *Main, p app.Principal, id int64, email, version string) (assay.PolicyAcceptance, error) {
	var vid int64
	if version != "" {
		v, err := m.App.FindPolicyVersion(ctx, p, id, version)
		if err != nil {
			return assay.PolicyAcceptance{}, err
		}
		vid = v.ID
	}
	person, err := p.Org.PersonByEmail(ctx, email)
	if err != nil {
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.PolicyAcceptance{}, assay.Invalid("person", "No one on the roster has the email %s.", email)
		}
		return assay.PolicyAcceptance{}, err
	}
	return m.App.RecordPolicyAcceptance(ctx, p, id, person.ID, vid)
}

func newPolicyAcceptancesCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "acceptances [ID]",
		Short: "List who accepted a policy (or every policy), with the acceptance figures",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var id int64
			var err error
			if len(args) == 1 {
				if id, err = policyID(args[0]); err != nil {
					return err
				}
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			list, err := m.App.PolicyAcceptances(ctx, p, id)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if f.asJSON {
				return printJSON(w, list)
			}
			for _, fig := range list.Figures {
				fmt.Fprintf(w, "%s version %s: accepted by %d of %d (%d%%)\n", fig.Title, fig.Version, fig.Accepted, fig.Required, fig.Percent)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "POLICY\tVERSION\tPERSON\tEMAIL\tACCEPTED\tRECORDED BY")
			for _, a := range list.Acceptances {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.PolicyTitle, a.Version, a.PersonName, a.PersonEmail, assay.FormatDate(&a.AcceptedAt), a.ByName)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}
