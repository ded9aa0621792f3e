package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newRiskCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "risk", Short: "The risk register: list, show, add, update, adopt templates"}
	cmd.AddCommand(newRiskListCmd(g), newRiskShowCmd(g), newRiskAddCmd(g), newRiskUpdateCmd(g), newRiskAdoptCmd(g))
	cmd.AddCommand(newRiskAssessCmd(g), newRiskImportCmd(g))
	return cmd
}

func newRiskListCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the risks with their scores",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			risks, err := m.App.Risks(ctx, p)
			if err != nil {
				return err
			}
			views := make([]app.RiskView, len(risks))
			for i, r := range risks {
				views[i] = app.ViewRisk(r, m.App.Now())
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"risks": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tCATEGORY\tINHERENT\tRESIDUAL\tTREATMENT\tSTATUS\tOWNER")
			for _, v := range views {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d (%s)\t%s\t%s\t%s\n", v.ID, v.Title, v.Category, v.InherentScore, v.ResidualScore, v.ResidualLevel,
					v.Treatment, v.Status, v.OwnerName)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newRiskShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one risk",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("risk id %q: give a number", args[0])
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			r, err := m.App.Risk(ctx, p, id)
			if err != nil {
				return err
			}
			v := app.ViewRisk(r, m.App.Now())
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), v)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Risk %d: %s (%s)\n%s\n", v.ID, v.Title, v.Category, v.Description)
			fmt.Fprintf(w, "Inherent %d (likelihood %d x impact %d); residual %d, %s (%d x %d)\n", v.InherentScore, v.Likelihood, v.Impact,
				v.ResidualScore, v.ResidualLevel, v.ResidualLikelihood, v.ResidualImpact)
			fmt.Fprintf(w, "Treatment: %s; status: %s; owner: %s; controls: %s\n", v.Treatment, v.Status, orNone(v.OwnerName), orNone(strings.Join(v.Controls, ", ")))
			if v.AcceptanceState != "" {
				fmt.Fprintf(w, "Acceptance: %s (approved by %s until %s)\n", v.AcceptanceState, v.ApproverName, assay.FormatDate(v.AcceptExpires))
			}
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// riskFlags are a risk's fields as flags; fill copies the ones given.
type riskFlags struct {
	category, title, description, owner, treatment, approver, acceptExpires, reviewDate, status string
	likelihood, impact, residualLikelihood, residualImpact                                      int
	controls                                                                                    []string
}

func (rf *riskFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&rf.category, "category", "", "category (e.g. "+strings.Join(assay.RiskCategories, ", ")+")")
	fl.StringVar(&rf.title, "title", "", "title")
	fl.StringVar(&rf.description, "description", "", "description")
	fl.StringVar(&rf.owner, "owner", "", "owner's email")
	fl.IntVar(&rf.likelihood, "likelihood", 0, "inherent likelihood, 1-5")
	fl.IntVar(&rf.impact, "impact", 0, "inherent impact, 1-5")
	fl.IntVar(&rf.residualLikelihood, "residual-likelihood", 0, "residual likelihood, 1-5")
	fl.IntVar(&rf.residualImpact, "residual-impact", 0, "residual impact, 1-5")
	fl.StringVar(&rf.treatment, "treatment", "", "mitigate, accept, transfer or avoid")
	fl.StringVar(&rf.approver, "approver", "", "who approved an accepted risk (email)")
	fl.StringVar(&rf.acceptExpires, "accept-expires", "", "when an acceptance ends (2027-03-31)")
	fl.StringSliceVar(&rf.controls, "controls", nil, "controls that treat it (comma-separated ids)")
	fl.StringVar(&rf.reviewDate, "review-date", "", "next review (2027-03-31)")
	fl.StringVar(&rf.status, "status", "", "open or closed")
}

// fill sets on r the fields whose flags were given.
func (rf *riskFlags) fill(cmd *cobra.Command, p app.Principal, r *assay.Risk) error {
	ctx := cmd.Context()
	ch := cmd.Flags().Changed
	set := func(name string, dst *string, v string) {
		if ch(name) {
			*dst = v
		}
	}
	set("category", &r.Category, rf.category)
	set("title", &r.Title, rf.title)
	set("description", &r.Description, rf.description)
	for name, pair := range map[string]struct {
		dst *int
		v   int
	}{"likelihood": {&r.Likelihood, rf.likelihood}, "impact": {&r.Impact, rf.impact},
		"residual-likelihood": {&r.ResidualLikelihood, rf.residualLikelihood}, "residual-impact": {&r.ResidualImpact, rf.residualImpact}} {
		if ch(name) {
			*pair.dst = pair.v
		}
	}
	if ch("treatment") {
		r.Treatment = assay.RiskTreatment(rf.treatment)
	}
	if ch("status") {
		r.Status = assay.RiskStatus(rf.status)
	}
	if ch("controls") {
		r.Controls = rf.controls
	}
	var err error
	if ch("owner") {
		if r.OwnerID, err = userIDByEmail(ctx, p, "owner", rf.owner); err != nil {
			return err
		}
	}
	if ch("approver") {
		if r.ApproverID, err = userIDByEmail(ctx, p, "approver", rf.approver); err != nil {
			return err
		}
	}
	if ch("accept-expires") {
		if r.AcceptExpires, err = assay.ParseDate("accept-expires", rf.acceptExpires); err != nil {
			return err
		}
	}
	if ch("review-date") {
		if r.ReviewDate, err = assay.ParseDate("review-date", rf.reviewDate); err != nil {
			return err
		}
	}
	return nil
}

func newRiskAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var rf riskFlags
	cmd := &cobra.Command{
		Use:   "add --title T --category C --likelihood N --impact N [flags]",
		Short: "Add a risk to the register",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			r := assay.Risk{Treatment: assay.TreatMitigate}
			if err := rf.fill(cmd, p, &r); err != nil {
				return err
			}
			got, err := m.App.CreateRisks(ctx, p, []assay.Risk{r})
			if err != nil {
				return err
			}
			return printRisk(cmd, m, f, got[0], "Added")
		},
	}
	f.add(cmd)
	rf.add(cmd)
	return cmd
}

func newRiskUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var rf riskFlags
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change the fields given of a risk (members: only the risks they own)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("risk id %q: give a number", args[0])
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.MayEditRisk(ctx, p, id); err != nil {
				return err
			}
			r, err := m.App.Risk(ctx, p, id)
			if err != nil {
				return err
			}
			if err := rf.fill(cmd, p, &r); err != nil {
				return err
			}
			got, err := m.App.UpdateRisk(ctx, p, id, r)
			if err != nil {
				return err
			}
			return printRisk(cmd, m, f, got, "Updated")
		},
	}
	f.add(cmd)
	rf.add(cmd)
	return cmd
}

func newRiskAdoptCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "adopt TEMPLATE-ID... | all",
		Short: "Add the library's template risks (see GET /api/v1/risk-templates)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			risks, err := m.App.AdoptRiskTemplates(ctx, p, args)
			if err != nil {
				return err
			}
			if f.asJSON {
				views := make([]app.RiskView, len(risks))
				for i, r := range risks {
					views[i] = app.ViewRisk(r, m.App.Now())
				}
				return printJSON(cmd.OutOrStdout(), map[string]any{"risks": views, "count": len(views)})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Adopted %d risks.\n", len(risks))
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func printRisk(cmd *cobra.Command, m *Main, f actingFlags, r assay.Risk, verb string) error {
	v := app.ViewRisk(r, m.App.Now())
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), v)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s risk %d: %s (residual %d, %s)\n", verb, v.ID, v.Title, v.ResidualScore, v.ResidualLevel)
	return nil
}
