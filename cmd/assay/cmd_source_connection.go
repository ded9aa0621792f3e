package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
)

// newSourceTestCmd is `assay source test SOURCE`: the Sources page's "Test
// connection" from the command line. It collects once with the stored
// settings and secrets, records nothing, and fails when the collection
// does.
func newSourceTestCmd(g *globals) *cobra.Command {
	var orgSlug string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test SOURCE",
		Short: "Test a live source's connection: collect once with its settings and secrets, record nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
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
			os := m.Store.Org(org.ID)
			src, err := findSource(ctx, os, args[0])
			if err != nil {
				return err
			}
			test, err := m.monitorService().TestSource(ctx, os, src.ID)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(test); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", src.Name, test.Message)
			}
			if !test.OK {
				return fmt.Errorf("source %q: the connection test failed", src.Name)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&orgSlug, "org", "", "organisation slug (default: the only one)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print {ok, resources, message} as JSON")
	return cmd
}
