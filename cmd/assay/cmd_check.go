package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/store"
)

func newCheckCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "check", Short: "List, run and try monitoring checks; add, change and delete custom checks"}
	cmd.AddCommand(newCheckListCmd(g), newCheckRunCmd(g), newCheckTestCmd(), newCheckAddCmd(g), newCheckUpdateCmd(g), newCheckDeleteCmd(g))
	return cmd
}

// checkLine is one check in `assay check list`.
type checkLine struct {
	assay.Check
	Status  string `json:"status"` // failing, error, passing, no_data
	Failing int    `json:"failing"`
	Passing int    `json:"passing"`
	Errors  int    `json:"errors"`
}

// checkLines is every check of the organisation with what it says now.
func checkLines(ctx context.Context, services *app.App, os store.OrgStore) ([]checkLine, error) {
	checks, err := services.Checks(ctx, os)
	if err != nil {
		return nil, err
	}
	current, err := os.CurrentResults(ctx, assay.ResultFilter{})
	if err != nil {
		return nil, err
	}
	lines := make([]checkLine, len(checks))
	idx := map[string]int{}
	for i, c := range checks {
		lines[i] = checkLine{Check: c}
		idx[c.ID] = i
	}
	for _, r := range current {
		i, ok := idx[r.CheckID]
		if !ok {
			continue
		}
		switch r.Status {
		case assay.CheckFail:
			lines[i].Failing++
		case assay.CheckPass:
			lines[i].Passing++
		case assay.CheckError:
			lines[i].Errors++
		}
	}
	for i := range lines {
		l := &lines[i]
		switch {
		case l.Failing > 0:
			l.Status = "failing"
		case l.Errors > 0:
			l.Status = "error"
		case l.Passing > 0:
			l.Status = "passing"
		default:
			l.Status = "no_data"
		}
	}
	return lines, nil
}

func newCheckListCmd(g *globals) *cobra.Command {
	var asJSON, failing bool
	var orgSlug string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the checks (library and custom) with what they say now",
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
			lines, err := checkLines(ctx, m.App, m.Store.Org(org.ID))
			if err != nil {
				return err
			}
			if failing {
				lines = slices.DeleteFunc(lines, func(l checkLine) bool { return l.Status != "failing" })
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"checks": lines, "count": len(lines)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CHECK\tSEVERITY\tSTATUS\tFAILING\tTITLE")
			for _, l := range lines {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", l.ID, l.Severity, l.Status, l.Failing, l.Title)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d checks\n", len(lines))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (like GET /api/v1/checks)")
	cmd.Flags().BoolVar(&failing, "failing", false, "only the checks failing on some resource now")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}

// findSource finds a source by id or name.
func findSource(ctx context.Context, os store.OrgStore, ref string) (assay.Source, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return os.Source(ctx, id)
	}
	list, err := os.Sources(ctx)
	if err != nil {
		return assay.Source{}, err
	}
	for _, s := range list {
		if strings.EqualFold(s.Name, ref) {
			return s, nil
		}
	}
	return assay.Source{}, assay.Errorf(assay.ENOTFOUND, "no source named %q", ref)
}

func newCheckRunCmd(g *globals) *cobra.Command {
	var sourceRef, orgSlug string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run monitoring sources now (all enabled sources, or --source)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.openMonitor(); err != nil {
				return err
			}
			m.wireAlerts()
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			os := m.Store.Org(org.ID)
			var sources []assay.Source
			if sourceRef != "" {
				src, err := findSource(ctx, os, sourceRef)
				if err != nil {
					return err
				}
				sources = []assay.Source{src}
			} else {
				all, err := os.Sources(ctx)
				if err != nil {
					return err
				}
				for _, s := range all {
					if s.Enabled && !runner.Waiting(s) {
						sources = append(sources, s)
					} else if s.Enabled {
						cmd.Printf("%s: no document imported yet; skipped.\n", s.Name)
					}
				}
			}
			if len(sources) == 0 {
				return fmt.Errorf("no enabled source to run: add one with `assay source add` or `assay import`")
			}
			failed := 0
			for _, src := range sources {
				run, err := m.Runner.RunSource(runner.WithActor(ctx, cliActor), os, src.ID, assay.TriggerManual)
				if err != nil {
					return fmt.Errorf("source %q: %w", src.Name, err)
				}
				printRun(cmd, src.Name, run)
				if run.Status != assay.RunOK {
					failed++
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d sources could not be collected", failed, len(sources))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&sourceRef, "source", "", "source id or name (default: every enabled source)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}

func printRun(cmd *cobra.Command, name string, run assay.MonitorRun) {
	if run.Status != assay.RunOK {
		cmd.Printf("%s: run %d failed: %s\n", name, run.ID, run.Error)
		return
	}
	cmd.Printf("%s: run %d: %d resources, %d pass, %d fail, %d error (digest %.12s)\n", name, run.ID, run.Resources, run.Pass, run.Fail, run.Errors, run.Digest)
	for _, n := range run.Notes {
		cmd.Printf("  Note: %s\n", n)
	}
}
