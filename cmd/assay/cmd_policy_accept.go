package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newPolicyAcceptCmd(g *globals) *cobra.Command {
	var person, version string
	return actingCommand(g, acting{
		Use:   "accept ID --as EMAIL | accept ID --person EMAIL [--version V]",
		Short: "Accept a policy's published version: the --as person for themself, or an admin records it for --person",
		Long: "With --as alone, the person signed in as accepts the published version that applies to them, as in the portal. " +
			"With --person, an admin records the acceptance on that person's behalf (a signed paper copy, for example), as the API's " +
			"POST /api/v1/policies/{id}/acceptances does.",
		Args: cobra.ExactArgs(1),
		IDs:  []string{"policy"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&person, "person", "", "record the acceptance for this person on the roster (email; admins)")
			fl.StringVar(&version, "version", "", "with --person: the version's number or id (default: the published one)")
		},
		Run: func(c *call) error {
			var a assay.PolicyAcceptance
			var err error
			if person == "" {
				if version != "" {
					return fmt.Errorf("--version goes with --person; a person accepts the published version")
				}
				a, err = c.m.App.AcceptPolicy(c.ctx, c.p, c.ID(0))
			} else {
				a, err = recordAcceptance(c.ctx, c.m, c.p, c.ID(0), person, version)
			}
			if err != nil {
				return err
			}
			return c.Line(a, "%s accepted %s version %s on %s (recorded by %s).", a.PersonName, a.PolicyTitle, a.Version,
				assay.FormatDate(&a.AcceptedAt), a.ByName)
		},
	})
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
	return actingCommand(g, acting{
		Use:   "acceptances [ID]",
		Short: "List who accepted a policy (or every policy), with the acceptance figures",
		Args:  cobra.MaximumNArgs(1),
		IDs:   []string{"policy"},
		Run: func(c *call) error {
			list, err := c.m.App.PolicyAcceptances(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Out(list, func(w io.Writer) error {
				for _, fig := range list.Figures {
					fmt.Fprintf(w, "%s version %s: accepted by %d of %d (%d%%)\n", fig.Title, fig.Version, fig.Accepted, fig.Required, fig.Percent)
				}
				return table(w, "POLICY\tVERSION\tPERSON\tEMAIL\tACCEPTED\tRECORDED BY", func(tw io.Writer) {
					for _, a := range list.Acceptances {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.PolicyTitle, a.Version, a.PersonName, a.PersonEmail, assay.FormatDate(&a.AcceptedAt), a.ByName)
					}
				})
			})
		},
	})
}
