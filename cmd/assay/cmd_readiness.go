package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

func newReadinessCmd(g *globals) *cobra.Command {
	var asJSON bool
	var orgSlug string
	cmd := &cobra.Command{
		Use:   "readiness",
		Short: "Print the organisation's SOC 2 readiness and its gaps",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			v, err := m.App.OrgReadiness(ctx, m.Store.Org(org.ID))
			if err != nil {
				return err
			}
			rd := v.Readiness
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rd)
			}
			printReadiness(cmd.OutOrStdout(), org, rd)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the same document as GET /api/v1/readiness)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}

func printReadiness(w io.Writer, org assay.Organization, rd assay.Readiness) {
	fmt.Fprintf(w, "%s: %d%% ready (%d of %d in-scope criteria met)\n\n", org.Name, rd.Overall.Percent, rd.Overall.Met, rd.Overall.Total)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range rd.Categories {
		if c.InScope {
			fmt.Fprintf(tw, "  %s\t%d%%\t%d/%d\n", c.Name, c.Percent, c.Met, c.Total)
		}
	}
	tw.Flush()
	if len(rd.Gaps) == 0 {
		fmt.Fprintln(w, "\nNo gaps: every in-scope criterion is met.")
		return
	}
	fmt.Fprintf(w, "\nGaps (%d):\n", len(rd.Gaps))
	for _, g := range rd.Gaps {
		fmt.Fprintf(w, "  %s %s\n      %s\n", g.ID, g.Title, g.Reason)
		for _, c := range g.Missing {
			why := strings.ToLower(c.Status.Label())
			if c.Status == assay.StatusImplemented && c.Reason != "" {
				why = c.Reason // implemented, but something else is missing (evidence)
			}
			fmt.Fprintf(w, "      - %s %s [%s] owner: %s\n", c.ID, c.Name, why, c.Owner())
		}
	}
}

func newCatalogCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Print the built-in criteria and control library",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := catalog.Default()
			if err != nil {
				return err
			}
			if !asJSON {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d criteria, %d controls\n", cat.Version, len(cat.Criteria), len(cat.Controls))
				for _, c := range cat.Criteria {
					fmt.Fprintf(cmd.OutOrStdout(), "  %-6s %s (%d controls)\n", c.ID, c.Title, len(cat.ControlsFor(c.ID)))
				}
				return nil
			}
			type crit struct {
				ID       string `json:"id"`
				Category string `json:"category"`
				Series   string `json:"series"`
				Title    string `json:"title"`
			}
			type ctl struct {
				ID       string   `json:"id"`
				Name     string   `json:"name"`
				Criteria []string `json:"criteria"`
			}
			out := struct {
				Criteria []crit `json:"criteria"`
				Controls []ctl  `json:"controls"`
			}{}
			for _, c := range cat.Criteria {
				out.Criteria = append(out.Criteria, crit{c.ID, c.Category, c.Series, c.Title})
			}
			for _, c := range cat.Controls {
				out.Controls = append(out.Controls, ctl{c.ID, c.Name, c.Criteria})
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
