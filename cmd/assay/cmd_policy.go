package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newPolicyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "policy", Short: "Policies: list, show, adopt, edit, move through review to publication, diff, accept"}
	cmd.AddCommand(newPolicyListCmd(g), newPolicyTemplatesCmd(g), newPolicyShowCmd(g), newPolicyAdoptCmd(g), newPolicyUpdateCmd(g),
		newPolicyEditCmd(g), newPolicyReviewCmd(g), newPolicyDiffCmd(g), newPolicyAcceptCmd(g), newPolicyAcceptancesCmd(g))
	cmd.AddCommand(newPolicyMoveCmds(g)...)
	return cmd
}

func newPolicyListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the policies with their versions, review state and acceptance",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			views, err := c.m.App.Policies(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.List("policies", views, len(views), func(w io.Writer) error {
				return table(w, "ID\tTITLE\tLATEST\tPUBLISHED\tREVIEW\tACCEPTED\tOWNER", func(tw io.Writer) {
					for _, v := range views {
						pub, acc := "none", "-"
						if v.Published != nil {
							pub = v.Published.Version
						}
						if v.Figure != nil {
							acc = fmt.Sprintf("%d/%d (%d%%)", v.Figure.Accepted, v.Figure.Required, v.Figure.Percent)
						}
						fmt.Fprintf(tw, "%d\t%s\t%s %s\t%s\t%s\t%s\t%s\n", v.ID, v.Title, v.Latest.Version, v.Latest.Status, pub, orNone(v.ReviewState), acc, orNone(v.OwnerName))
					}
				})
			})
		},
	})
}

func newPolicyTemplatesCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "templates",
		Short: "List the library's policy templates (the ids assay policy adopt takes)",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			tpls, err := c.m.App.PolicyTemplates(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.List("templates", tpls, len(tpls), func(w io.Writer) error {
				return table(w, "ID\tTITLE", func(tw io.Writer) {
					for _, t := range tpls {
						fmt.Fprintf(tw, "%s\t%s\n", t.ID, t.Title)
					}
				})
			})
		},
	})
}

func newPolicyShowCmd(g *globals) *cobra.Command {
	var version string
	return actingCommand(g, acting{
		Use:   "show ID [--version V]",
		Short: "Show a policy and its versions, or with --version that version's text",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"policy"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&version, "version", "", "a version's number (1.2) or id")
		},
		Run: func(c *call) error {
			if c.changed("version") {
				v, err := c.m.App.FindPolicyVersion(c.ctx, c.p, c.ID(0), version)
				if err != nil {
					return err
				}
				return c.Line(v, "%s, version %s (%s)\n\n%s", v.PolicyTitle, v.Version, v.Status, v.Body)
			}
			d, err := c.m.App.Policy(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Out(d, func(w io.Writer) error { return printPolicy(w, d) })
		},
	})
}

func printPolicy(w io.Writer, d app.PolicyDetail) error {
	pol := d.Policy
	fmt.Fprintf(w, "Policy %d: %s\nOwner: %s; applies to: %s; review every %d months", pol.ID, pol.Title, orNone(pol.OwnerName), pol.AppliesTo, pol.ReviewMonths)
	if pol.NextReview != nil {
		fmt.Fprintf(w, ", next by %s", assay.FormatDate(pol.NextReview))
	}
	if pol.ReviewState != "" {
		fmt.Fprintf(w, " (%s)", pol.ReviewState)
	}
	fmt.Fprintln(w)
	if pol.Figure != nil {
		fmt.Fprintf(w, "Accepted by %d of %d (%d%%) for version %s\n", pol.Figure.Accepted, pol.Figure.Required, pol.Figure.Percent, pol.Figure.Version)
	}
	return table(w, "VERSION\tID\tSTATUS\tEDITED BY\tAPPROVED BY\tCHANGELOG", func(tw io.Writer) {
		for _, v := range d.Versions {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", v.Version, v.ID, v.Status, orNone(v.EditedByName), orNone(v.ApprovedByName), v.Changelog)
		}
	})
}
