package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect"
	"github.com/assay-platform/assay/monitor/runner"
)

func newSourceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "source", Short: "Add and list monitoring sources"}
	cmd.AddCommand(newSourceAddCmd(g), newSourceListCmd(g), newSourceTestCmd(g))
	return cmd
}

// keyValues turns repeated key=value flags into a map.
func keyValues(flag string, list []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--%s %q: write key=value", flag, kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

func newSourceAddCmd(g *globals) *cobra.Command {
	var kind, name, orgSlug string
	var settings, secrets []string
	var interval int
	var disabled, dryRun bool
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add a monitoring source (secrets are sealed and never shown again)",
		Example: "  assay source add --kind http --name \"Public API\" --set url=https://api.example.com\n" +
			"  assay source add --kind postgres --name Orders --secret dsn=postgres://monitor@db/orders\n" +
			"  assay source add --kind github --name GitHub --set organization=acme --secret token=$GITHUB_TOKEN --dry-run",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			set, err := keyValues("set", settings)
			if err != nil {
				return err
			}
			sec, err := keyValues("secret", secrets)
			if err != nil {
				return err
			}
			if dryRun {
				return sourceDryRun(cmd, kind, set, sec)
			}
			m, err := g.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.openMonitor(); err != nil {
				return err
			}
			org, err := firstOrg(ctx, m.Store, orgSlug)
			if err != nil {
				return err
			}
			src := assay.Source{Kind: kind, Name: name, Settings: set, IntervalMinutes: interval, Enabled: !disabled}
			out, err := runner.Service{Runner: m.Runner}.CreateSource(ctx, m.Store.Org(org.ID), cliActor, src, sec)
			if err != nil {
				return err
			}
			cmd.Printf("Source %d %q (%s) added; it runs every %d minutes.\n", out.ID, out.Name, out.Kind, out.IntervalMinutes)
			if len(out.SecretNames) > 0 {
				cmd.Printf("Secrets sealed: %s.\n", strings.Join(out.SecretNames, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "source kind: "+strings.Join(assay.SourceKinds, ", "))
	cmd.Flags().StringVar(&name, "name", "", "source name")
	cmd.Flags().StringArrayVar(&settings, "set", nil, "a setting, key=value (repeatable)")
	cmd.Flags().StringArrayVar(&secrets, "secret", nil, "a secret, key=value (repeatable; sealed with AES-GCM)")
	cmd.Flags().IntVar(&interval, "interval", assay.DefaultIntervalMinutes, "minutes between scheduled runs")
	cmd.Flags().BoolVar(&disabled, "disabled", false, "add the source without scheduling it")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the settings and print the requests a collection would make; add nothing, send nothing")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	_ = cmd.MarkFlagRequired("kind")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

// sourceDryRun checks a live source's settings with its collector and
// prints the requests a collection would make, without storing or sending
// anything.
func sourceDryRun(cmd *cobra.Command, kind string, settings, secrets map[string]string) error {
	col, ok := collect.ByKind(kind, assay.SystemClock{})
	if !ok {
		return assay.Invalid("kind", "Unknown source kind %q; use one of %s.", kind, strings.Join(assay.SourceKinds, ", "))
	}
	planner, ok := col.(monitor.Planner)
	if !ok {
		return assay.Invalid("dry-run", "A %s source has no dry run; only sources that call an API (github, okta, google-workspace, entra, aws, fleet) have one.", kind)
	}
	cfg := monitor.Config{Settings: settings, Secrets: secrets}
	lines, err := planner.Plan(cfg)
	if err != nil {
		return err
	}
	cmd.Printf("Dry run: collecting this %s source would send these requests (nothing was added or sent):\n", kind)
	for _, l := range lines {
		cmd.Println("  " + l)
	}
	if err := col.Validate(cfg); err != nil {
		cmd.Printf("Before adding it: %s\n", assay.ErrorMessage(err))
	}
	return nil
}

func newSourceListCmd(g *globals) *cobra.Command {
	var orgSlug string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the monitoring sources",
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
			list, err := m.Store.Org(org.ID).Sources(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tKIND\tEVERY\tLAST RUN\tSTATUS\tSECRETS")
			for _, s := range list {
				last, status := "never", s.LastStatus
				if s.LastRunAt != nil {
					last = s.LastRunAt.UTC().Format("2006-01-02 15:04")
				}
				if !s.Enabled {
					status = strings.TrimSpace(status + " (disabled)")
				}
				secrets := "-"
				if len(s.SecretNames) > 0 {
					secrets = strings.Join(s.SecretNames, ",") + " (set)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%dm\t%s\t%s\t%s\n", s.ID, s.Name, s.Kind, s.IntervalMinutes, last, status, secrets)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}
