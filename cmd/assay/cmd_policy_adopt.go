package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// policySettingFlags are a policy's settings as flags (adopt and update).
type policySettingFlags struct {
	owner, title           string
	reviewMonths           int
	departments, employing []string
}

func (sf *policySettingFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&sf.owner, "owner", "", "owner's email (an admin or member; default: the --as user)")
	fl.StringVar(&sf.title, "title", "", "title")
	fl.IntVar(&sf.reviewMonths, "review-months", 0, fmt.Sprintf("review cadence in months (default %d)", assay.DefaultReviewMonths))
	fl.StringSliceVar(&sf.departments, "departments", nil, "the departments it applies to (default: everyone)")
	fl.StringSliceVar(&sf.employing, "employment-types", nil, "the employment types it applies to ("+strings.Join(assay.PolicyEmploymentTypes, ", ")+")")
}

// readBody reads --file (- for standard input).
func readBody(cmd *cobra.Command, file string) (string, error) {
	if file == "" {
		return "", assay.Invalid("body", "Give the policy text with --file (Markdown; - for standard input).")
	}
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), assay.MaxPolicyBody+1))
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	return string(b), nil
}

func newPolicyAdoptCmd(g *globals) *cobra.Command {
	var f actingFlags
	var sf policySettingFlags
	var file string
	cmd := &cobra.Command{
		Use:   "adopt TEMPLATE-ID... | all | --title T --file body.md",
		Short: "Adopt the library's policy templates (see assay policy templates), or a policy of your own, as draft 1.0",
		Long: "Adopt fills each template's placeholders from the organisation and the owner. \"all\" adopts every template not adopted yet. " +
			"Templates and owner are checked before anything is adopted. Without templates, --title and --file adopt a policy of your own.",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if len(args) == 0 && sf.title == "" {
				return fmt.Errorf("name templates (or all), or give --title and --file")
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			req := app.PolicyAdoption{ReviewMonths: sf.reviewMonths, AppliesTo: assay.PolicyScope{Departments: sf.departments, EmploymentTypes: sf.employing}}
			if req.OwnerID, err = userIDByEmail(ctx, p, "owner", sf.owner); err != nil {
				return err
			}
			var got []assay.Policy
			if len(args) == 0 {
				if req.Body, err = readBody(cmd, file); err != nil {
					return err
				}
				req.Title = sf.title
				var pol assay.Policy
				if pol, err = m.App.AdoptPolicy(ctx, p, req); err != nil {
					return err
				}
				got = []assay.Policy{pol}
			} else if got, err = m.App.AdoptPolicyTemplates(ctx, p, args, req); err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"policies": got, "count": len(got)})
			}
			for _, pol := range got {
				fmt.Fprintf(cmd.OutOrStdout(), "Adopted policy %d: %s (draft %s)\n", pol.ID, pol.Title, pol.Latest.Version)
			}
			return nil
		},
	}
	f.add(cmd)
	sf.add(cmd)
	cmd.Flags().StringVar(&file, "file", "", "the policy's Markdown text, for a policy of your own (- for standard input)")
	return cmd
}

func newPolicyUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var sf policySettingFlags
	cmd := &cobra.Command{
		Use:   "update ID [--title T] [--owner EMAIL] [--review-months N] [--departments ...] [--employment-types ...]",
		Short: "Change a policy's settings (the API's PATCH)",
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
			var patch assay.PolicyPatch
			ch := cmd.Flags().Changed
			if ch("title") {
				patch.Title = &sf.title
			}
			if ch("review-months") {
				patch.ReviewMonths = &sf.reviewMonths
			}
			if ch("owner") {
				owner, err := userIDByEmail(ctx, p, "owner", sf.owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &owner
			}
			if ch("departments") || ch("employment-types") {
				d, err := m.App.Policy(ctx, p, id)
				if err != nil {
					return err
				}
				scope := d.Policy.AppliesTo
				if ch("departments") {
					scope.Departments = sf.departments
				}
				if ch("employment-types") {
					scope.EmploymentTypes = sf.employing
				}
				patch.AppliesTo = &scope
			}
			pol, err := m.App.UpdatePolicy(ctx, p, id, patch)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), pol)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Updated policy %d: %s (owner %s, applies to %s)\n", pol.ID, pol.Title, orNone(pol.OwnerName), pol.AppliesTo)
			return nil
		},
	}
	f.add(cmd)
	sf.add(cmd)
	return cmd
}
