package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
)

func newScopeCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "scope", Short: "The audit's scope and the system description: show, set categories, edit the description"}
	cmd.AddCommand(newScopeShowCmd(g), newScopeSetCmd(g), newScopeSystemCmd(g))
	return cmd
}

// scopeDocument is the API's GET /api/v1/scope document.
func scopeDocument(org assay.Organization) map[string]any {
	return map[string]any{"scope": org.Scope, "system_description": org.System}
}

func printScope(cmd *cobra.Command, org assay.Organization) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Categories in scope: %s\n", strings.Join(append([]string{assay.CategorySecurity}, withoutSecurity(org.Scope.Categories)...), ", "))
	filled, total := org.System.Completion()
	fmt.Fprintf(w, "System description: %d of %d sections written\n", filled, total)
	for _, s := range assay.SystemSections {
		if v := org.System.Section(s.Key); v != "" {
			fmt.Fprintf(w, "\n%s:\n%s\n", s.Title, v)
		}
	}
	for _, s := range org.System.Subservices {
		fmt.Fprintf(w, "Subservice organisation: %s (%s): %s\n", s.Name, s.Method, s.Services)
	}
}

func withoutSecurity(cats []string) []string {
	var out []string
	for _, c := range cats {
		if c != assay.CategorySecurity {
			out = append(out, c)
		}
	}
	return out
}

func newScopeShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the categories in scope and the system description",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := m.App.Scope(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), scopeDocument(org))
			}
			printScope(cmd, org)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newScopeSetCmd(g *globals) *cobra.Command {
	var f actingFlags
	var categories []string
	cmd := &cobra.Command{
		Use:   "set --categories availability,confidentiality",
		Short: "Set the trust services categories in scope (security is always in)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("categories") {
				return assay.Invalid("categories", "Give --categories (an empty list for security alone).")
			}
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if categories == nil {
				categories = []string{}
			}
			org, err := m.App.UpdateScope(ctx, p, assay.Scope{Categories: categories}, nil)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), scopeDocument(org))
			}
			printScope(cmd, org)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringSliceVar(&categories, "categories", nil, "categories besides security ("+strings.Join(assay.Categories[1:], ", ")+")")
	return cmd
}

func newScopeSystemCmd(g *globals) *cobra.Command {
	var f actingFlags
	sections := map[string]*string{}
	var subservices []string
	var noSubservices bool
	cmd := &cobra.Command{
		Use:   "system [--services TEXT] [--infrastructure TEXT] [...] [--subservice 'NAME:carve_out|inclusive:SERVICES']",
		Short: "Edit the system description: the sections given change, the others stay",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			org, err := m.App.Scope(ctx, p)
			if err != nil {
				return err
			}
			d, changed := org.System, false
			for _, s := range assay.SystemSections {
				if name := sectionFlag(s.Key); cmd.Flags().Changed(name) {
					d.SetSection(s.Key, strings.TrimSpace(*sections[name]))
					changed = true
				}
			}
			if noSubservices {
				d.Subservices, changed = []assay.SubserviceOrg{}, true
			}
			if cmd.Flags().Changed("subservice") {
				d.Subservices, changed = nil, true
				for _, v := range subservices {
					parts := strings.SplitN(v, ":", 3)
					if len(parts) != 3 {
						return assay.Invalid("subservice", "--subservice %q: give NAME:METHOD:SERVICES (method carve_out or inclusive).", v)
					}
					d.Subservices = append(d.Subservices, assay.SubserviceOrg{Name: strings.TrimSpace(parts[0]), Method: strings.TrimSpace(parts[1]),
						Services: strings.TrimSpace(parts[2])})
				}
			}
			if !changed {
				return assay.Invalid("", "Give at least one section to change (see --help).")
			}
			org, err = m.App.UpdateSystemDescription(ctx, p, d)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), scopeDocument(org))
			}
			printScope(cmd, org)
			return nil
		},
	}
	f.add(cmd)
	for _, s := range assay.SystemSections {
		name := sectionFlag(s.Key)
		sections[name] = cmd.Flags().String(name, "", s.Title)
	}
	cmd.Flags().StringArrayVar(&subservices, "subservice", nil, "a subservice organisation, NAME:METHOD:SERVICES (repeat; replaces the list)")
	cmd.Flags().BoolVar(&noSubservices, "no-subservices", false, "remove every subservice organisation")
	return cmd
}

// sectionFlag is a section's flag: its key with dashes, except data, whose
// flag would hide the global --data.
func sectionFlag(key string) string {
	if key == "data" {
		return "system-data"
	}
	return strings.ReplaceAll(key, "_", "-")
}
