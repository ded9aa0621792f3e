package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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

// scopeOut prints the scope as the API's document or as text.
func scopeOut(c *call, org assay.Organization) error {
	return c.Out(scopeDocument(org), func(w io.Writer) error {
		printScope(w, org)
		return nil
	})
}

func printScope(w io.Writer, org assay.Organization) {
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
	return actingCommand(g, acting{
		Use:   "show",
		Short: "Show the categories in scope and the system description",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			org, err := c.m.App.Scope(c.ctx, c.p)
			if err != nil {
				return err
			}
			return scopeOut(c, org)
		},
	})
}

func newScopeSetCmd(g *globals) *cobra.Command {
	var categories []string
	return actingCommand(g, acting{
		Use:   "set --categories availability,confidentiality",
		Short: "Set the trust services categories in scope (security is always in)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringSliceVar(&categories, "categories", nil, "categories besides security ("+strings.Join(assay.Categories[1:], ", ")+")")
		},
		Before: func(c *call) error {
			if !c.changed("categories") {
				return assay.Invalid("categories", "Give --categories (an empty list for security alone).")
			}
			return nil
		},
		Run: func(c *call) error {
			if categories == nil {
				categories = []string{}
			}
			org, err := c.m.App.UpdateScope(c.ctx, c.p, assay.Scope{Categories: categories}, nil)
			if err != nil {
				return err
			}
			return scopeOut(c, org)
		},
	})
}

func newScopeSystemCmd(g *globals) *cobra.Command {
	sections := map[string]*string{}
	var subservices []string
	var noSubservices bool
	return actingCommand(g, acting{
		Use:   "system [--services TEXT] [--infrastructure TEXT] [...] [--subservice 'NAME:carve_out|inclusive:SERVICES']",
		Short: "Edit the system description: the sections given change, the others stay",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			for _, s := range assay.SystemSections {
				name := sectionFlag(s.Key)
				sections[name] = fl.String(name, "", s.Title)
			}
			fl.StringArrayVar(&subservices, "subservice", nil, "a subservice organisation, NAME:METHOD:SERVICES (repeat; replaces the list)")
			fl.BoolVar(&noSubservices, "no-subservices", false, "remove every subservice organisation")
		},
		Run: func(c *call) error {
			org, err := c.m.App.Scope(c.ctx, c.p)
			if err != nil {
				return err
			}
			d, changed := org.System, false
			for _, s := range assay.SystemSections {
				if name := sectionFlag(s.Key); c.changed(name) {
					d.SetSection(s.Key, strings.TrimSpace(*sections[name]))
					changed = true
				}
			}
			if noSubservices {
				d.Subservices, changed = []assay.SubserviceOrg{}, true
			}
			if c.changed("subservice") {
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
			org, err = c.m.App.UpdateSystemDescription(c.ctx, c.p, d)
			if err != nil {
				return err
			}
			return scopeOut(c, org)
		},
	})
}

// sectionFlag is a section's flag: its key with dashes, except data, whose
// flag would hide the global --data.
func sectionFlag(key string) string {
	if key == "data" {
		return "system-data"
	}
	return strings.ReplaceAll(key, "_", "-")
}
