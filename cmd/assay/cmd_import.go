package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor/runner"
)

// importKinds are the source kinds `assay import` takes a document for.
var importKinds = assay.FileSourceKinds

func newImportCmd(g *globals) *cobra.Command {
	var sourceName, orgSlug string
	cmd := &cobra.Command{
		Use:   "import KIND FILE",
		Short: "Import a document (terraform|k8s|prowler|trivy|roster|jamf|intune|kandji) into its source and run the checks",
		Long: "Import gives a file source its document and runs the checks on it at once. The source is found by --source " +
			"(default: \"<kind> import\") and created when missing; a document that cannot be read creates nothing.",
		Example: "  terraform show -json > plan.json && assay import terraform plan.json\n  assay import trivy report.json --source \"API image\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			kind, file := args[0], args[1]
			if !slices.Contains(importKinds, kind) {
				return fmt.Errorf("cannot import %q: use one of %s", kind, strings.Join(importKinds, ", "))
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				return fmt.Errorf("read %s: %w", file, err)
			}
			if sourceName == "" {
				sourceName = kind + " import"
			}
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
			var run assay.MonitorRun
			src, err := findSource(ctx, os, sourceName)
			switch {
			case assay.ErrorCode(err) == assay.ENOTFOUND:
				// A source made for this document: if the document cannot
				// be read (or its run recorded), nothing is left behind.
				src, run, err = (runner.Service{Runner: m.Runner}).CreateAndImport(ctx, os, cliActor,
					assay.Source{Kind: kind, Name: sourceName, Settings: map[string]string{}, Enabled: true}, doc)
				if err != nil {
					return fmt.Errorf("import %s: %w (no source was created)", filepath.Base(file), err)
				}
				cmd.Printf("Source %d %q (%s) created.\n", src.ID, src.Name, src.Kind)
			case err != nil:
				return err
			case src.Kind != kind:
				return fmt.Errorf("source %q is a %s source, not %s", src.Name, src.Kind, kind)
			default:
				if run, err = m.Runner.Import(runner.WithActor(ctx, cliActor), os, src.ID, doc); err != nil {
					return fmt.Errorf("import %s: %w", filepath.Base(file), err)
				}
			}
			printRun(cmd, src.Name, run)
			if run.Status != assay.RunOK {
				return fmt.Errorf("the %s document could not be read", kind)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&sourceName, "source", "", "source name (default \"<kind> import\"; created when missing)")
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	return cmd
}
