package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// policySettingFlags are a policy's settings as flags (adopt and update).
type policySettingFlags struct {
	owner, title           string
	reviewMonths           int
	departments, employing []string
}

func (sf *policySettingFlags) add(fl *pflag.FlagSet) {
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
	var sf policySettingFlags
	var file string
	return actingCommand(g, acting{
		Use:   "adopt TEMPLATE-ID... | all | --title T --file body.md",
		Short: "Adopt the library's policy templates (see assay policy templates), or a policy of your own, as draft 1.0",
		Long: "Adopt fills each template's placeholders from the organisation and the owner. \"all\" adopts every template not adopted yet. " +
			"Templates and owner are checked before anything is adopted. Without templates, --title and --file adopt a policy of your own.",
		Flags: func(fl *pflag.FlagSet) {
			sf.add(fl)
			fl.StringVar(&file, "file", "", "the policy's Markdown text, for a policy of your own (- for standard input)")
		},
		Before: func(c *call) error {
			if len(c.args) == 0 && sf.title == "" {
				return fmt.Errorf("name templates (or all), or give --title and --file")
			}
			return nil
		},
		Run: func(c *call) error {
			req := app.PolicyAdoption{ReviewMonths: sf.reviewMonths, AppliesTo: assay.PolicyScope{Departments: sf.departments, EmploymentTypes: sf.employing}}
			var err error
			if req.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", sf.owner); err != nil {
				return err
			}
			var got []assay.Policy
			if len(c.args) == 0 {
				if req.Body, err = readBody(c.cmd, file); err != nil {
					return err
				}
				req.Title = sf.title
				var pol assay.Policy
				if pol, err = c.m.App.AdoptPolicy(c.ctx, c.p, req); err != nil {
					return err
				}
				got = []assay.Policy{pol}
			} else if got, err = c.m.App.AdoptPolicyTemplates(c.ctx, c.p, c.args, req); err != nil {
				return err
			}
			return c.List("policies", got, len(got), func(w io.Writer) error {
				for _, pol := range got {
					fmt.Fprintf(w, "Adopted policy %d: %s (draft %s)\n", pol.ID, pol.Title, pol.Latest.Version)
				}
				return nil
			})
		},
	})
}

func newPolicyUpdateCmd(g *globals) *cobra.Command {
	var sf policySettingFlags
	return actingCommand(g, acting{
		Use:   "update ID [--title T] [--owner EMAIL] [--review-months N] [--departments ...] [--employment-types ...]",
		Short: "Change a policy's settings (the API's PATCH)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"policy"},
		Flags: sf.add,
		Run: func(c *call) error {
			id := c.ID(0)
			var patch assay.PolicyPatch
			setChanged(c, "title", &patch.Title, &sf.title)
			setChanged(c, "review-months", &patch.ReviewMonths, &sf.reviewMonths)
			if c.changed("owner") {
				owner, err := userIDByEmail(c.ctx, c.p, "owner", sf.owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &owner
			}
			if c.changed("departments") || c.changed("employment-types") {
				d, err := c.m.App.Policy(c.ctx, c.p, id)
				if err != nil {
					return err
				}
				scope := d.Policy.AppliesTo
				setChanged(c, "departments", &scope.Departments, sf.departments)
				setChanged(c, "employment-types", &scope.EmploymentTypes, sf.employing)
				patch.AppliesTo = &scope
			}
			pol, err := c.m.App.UpdatePolicy(c.ctx, c.p, id, patch)
			if err != nil {
				return err
			}
			return c.Line(pol, "Updated policy %d: %s (owner %s, applies to %s)", pol.ID, pol.Title, orNone(pol.OwnerName), pol.AppliesTo)
		},
	})
}
