package main

import (
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

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

// policyID reads the ID argument.
func policyID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("policy id %q: give a number (see assay policy list)", arg)
	}
	return id, nil
}

func newPolicyListCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the policies with their versions, review state and acceptance",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			views, err := m.App.Policies(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"policies": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tLATEST\tPUBLISHED\tREVIEW\tACCEPTED\tOWNER")
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
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newPolicyTemplatesCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "templates",
		Short: "List the library's policy templates (the ids assay policy adopt takes)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			tpls, err := m.App.PolicyTemplates(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"templates": tpls, "count": len(tpls)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE")
			for _, t := range tpls {
				fmt.Fprintf(tw, "%s\t%s\n", t.ID, t.Title)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newPolicyShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	var version string
	cmd := &cobra.Command{
		Use:   "show ID [--version V]",
		Short: "Show a policy and its versions, or with --version that version's text",
		Args:  cobra.ExactArgs(1),
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
			w := cmd.OutOrStdout()
			if cmd.Flags().Changed("version") {
				v, err := m.App.FindPolicyVersion(ctx, p, id, version)
				if err != nil {
					return err
				}
				if f.asJSON {
					return printJSON(w, v)
				}
				fmt.Fprintf(w, "%s, version %s (%s)\n\n%s\n", v.PolicyTitle, v.Version, v.Status, v.Body)
				return nil
			}
			d, err := m.App.Policy(ctx, p, id)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(w, d)
			}
			printPolicy(cmd, d)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&version, "version", "", "a version's number (1.2) or id")
	return cmd
}

func printPolicy(cmd *cobra.Command, d app.PolicyDetail) {
	w, pol := cmd.OutOrStdout(), d.Policy
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
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tID\tSTATUS\tEDITED BY\tAPPROVED BY\tCHANGELOG")
	for _, v := range d.Versions {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", v.Version, v.ID, v.Status, orNone(v.EditedByName), orNone(v.ApprovedByName), v.Changelog)
	}
	_ = tw.Flush()
}
