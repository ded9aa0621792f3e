package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newAuditCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Audit engagements: list, create, and draw or reproduce samples"}
	cmd.AddCommand(newAuditListCmd(g), newAuditCreateCmd(g), newAuditSampleCmd(g))
	cmd.AddCommand(newAuditManageCmds(g)...)
	cmd.AddCommand(newAuditReportCmds(g)...)
	return cmd
}

var cliActor = assay.Actor{Name: "assay cli", Via: "cli"}

func newAuditListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the audit engagements (an invited auditor: their own)",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			list, err := c.m.App.Audits(c.ctx, c.p)
			if err != nil {
				return err
			}
			if c.json {
				views := make([]app.AuditView, len(list))
				for i, a := range list {
					views[i] = app.ViewAudit(a)
				}
				return printJSON(c.w, map[string]any{"audits": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(c.w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTYPE\tFIRM\tPERIOD\tSTATUS\tCONTROLS")
			for _, a := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", a.ID, a.Name, a.Type, a.Firm, periodText(a), a.Status, len(a.Scope.Controls))
			}
			return tw.Flush()
		},
	})
}

func periodText(a assay.Audit) string {
	if a.AsOf != nil {
		return "as of " + a.AsOf.Format("2006-01-02")
	}
	if a.PeriodStart != nil && a.PeriodEnd != nil {
		return a.PeriodStart.Format("2006-01-02") + ".." + a.PeriodEnd.Format("2006-01-02")
	}
	return ""
}

func newAuditCreateCmd(g *globals) *cobra.Command {
	var orgSlug, typ, name, firm, asOf, start, end string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create an engagement and freeze its scope",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			n := assay.NewAudit{Type: assay.AuditType(typ), Name: name, Firm: firm}
			for _, d := range []struct {
				field, v string
				dst      **time.Time
			}{{"as-of", asOf, &n.AsOf}, {"start", start, &n.PeriodStart}, {"end", end, &n.PeriodEnd}} {
				if d.v == "" {
					continue
				}
				t, err := time.Parse("2006-01-02", d.v)
				if err != nil {
					return fmt.Errorf("--%s must be a date like 2026-01-31", d.field)
				}
				*d.dst = &t
			}
			warnings, err := n.Validate()
			if err != nil {
				return err
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			a, err := m.Store.Org(org.ID).CreateAudit(ctx, cliActor, n)
			if err != nil {
				return err
			}
			for _, w := range warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning: "+w)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created audit %d %q (%s, %s) with %d controls in its frozen scope.\n", a.ID, a.Name, a.Type, periodText(a), len(a.Scope.Controls))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	f.StringVar(&typ, "type", "type_2", "type_1 (as of a date) or type_2 (a period)")
	f.StringVar(&name, "name", "", "name of the engagement")
	f.StringVar(&firm, "firm", "", "the audit firm")
	f.StringVar(&asOf, "as-of", "", "Type I: the date (YYYY-MM-DD)")
	f.StringVar(&start, "start", "", "Type II: first day of the period (YYYY-MM-DD)")
	f.StringVar(&end, "end", "", "Type II: last day of the period (YYYY-MM-DD)")
	return cmd
}

func newAuditSampleCmd(g *globals) *cobra.Command {
	var orgSlug, kind, control, seedText string
	var auditID int64
	var size int
	var asJSON, record bool
	cmd := &cobra.Command{
		Use:   "sample",
		Short: "Draw a sample, or reproduce a recorded one offline from the database",
		Long: `With --seed, sample reproduces the sample recorded with that population, control, size
and seed: it lists the population again as it stood when the sample was drawn, redraws it with
the documented algorithm (README, "Samples") and checks the digest and the chosen keys. It
writes nothing. Without a recorded sample to match, it draws from the population as it is now.

With --record (or without --seed), it draws a new sample and records it in the audit trail.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if auditID <= 0 || kind == "" || size < 0 || (size == 0 && seedText != "" && !record) {
				return fmt.Errorf("give --audit and --population (and --size to reproduce a sample with --seed)")
			}
			var seed *uint64
			if seedText != "" {
				v, err := strconv.ParseUint(seedText, 10, 64)
				if err != nil {
					return fmt.Errorf("--seed must be a whole number from 0 to 18446744073709551615")
				}
				seed = &v
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			os := m.Store.Org(org.ID)
			out := cmd.OutOrStdout()
			if seed == nil || record {
				s, err := os.CreateAuditSample(ctx, cliActor, auditID, assay.NewSample{Population: kind, ControlID: control, Size: size, Seed: seed})
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(out, s)
				}
				fmt.Fprintf(out, "Recorded sample %d: %d of %d, seed %d, population sha256 %s\n", s.ID, s.Size, s.PopulationSize, s.Seed, s.PopulationDigest)
				printKeys(out, s.Keys)
				return nil
			}
			samples, err := os.AuditSamples(ctx, auditID)
			if err != nil {
				return err
			}
			var match *assay.AuditSample
			for i := range samples {
				s := samples[i]
				if s.Population == kind && s.ControlID == control && s.Size == size && s.Seed == *seed {
					match = &s
				}
			}
			var cutoff int64
			if match != nil {
				cutoff = match.CutoffSeq
			}
			pop, err := os.AuditPopulation(ctx, auditID, kind, control, cutoff)
			if err != nil {
				return err
			}
			keys := assay.DrawSample(assay.SortedKeys(pop.Items), *seed, size)
			res := map[string]any{"population": kind, "control_id": control, "population_size": len(pop.Items),
				"population_digest": pop.Digest, "seed": strconv.FormatUint(*seed, 10), "size": size, "keys": keys}
			var mismatch error
			if match != nil {
				res["recorded_sample"] = match.ID
				res["matches"] = pop.Digest == match.PopulationDigest && fmt.Sprint(keys) == fmt.Sprint(match.Keys)
				if pop.Digest != match.PopulationDigest {
					mismatch = fmt.Errorf("the population no longer matches sample %d: digest %s, recorded %s", match.ID, pop.Digest, match.PopulationDigest)
				} else if fmt.Sprint(keys) != fmt.Sprint(match.Keys) {
					mismatch = fmt.Errorf("the redrawn keys differ from sample %d's", match.ID)
				}
			}
			if asJSON {
				if err := printJSON(out, res); err != nil {
					return err
				}
				return mismatch
			}
			fmt.Fprintf(out, "Population %s: %d items, sha256 %s\n", kind, len(pop.Items), pop.Digest)
			if match != nil && mismatch == nil {
				fmt.Fprintf(out, "Reproduced recorded sample %d exactly.\n", match.ID)
			} else if match == nil {
				fmt.Fprintln(out, "No recorded sample with this seed and size; drawn from the population as it is now (not recorded).")
			}
			printKeys(out, keys)
			return mismatch
		},
	}
	f := cmd.Flags()
	f.StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	f.Int64Var(&auditID, "audit", 0, "the engagement's id")
	f.StringVar(&kind, "population", "", "evidence, control_changes, people, changes, check_runs or assay_access (Assay's own users)")
	f.StringVar(&control, "control", "", "the control (evidence and control_changes)")
	f.IntVar(&size, "size", 0, "how many to choose (default: the usual size for the population: all of 1-5, 5 of 6-50, a tenth of 51-250, 25 above)")
	f.StringVar(&seedText, "seed", "", "the seed (a uint64); with it, reproduce the recorded sample")
	f.BoolVar(&record, "record", false, "draw and record a new sample even with --seed")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printKeys(w io.Writer, keys []string) {
	for _, k := range keys {
		fmt.Fprintln(w, "  "+k)
	}
}
