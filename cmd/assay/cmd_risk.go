package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newRiskCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "risk", Short: "The risk register: list, show, add, update, adopt templates"}
	cmd.AddCommand(newRiskListCmd(g), newRiskShowCmd(g), newRiskAddCmd(g), newRiskUpdateCmd(g), newRiskAdoptCmd(g))
	cmd.AddCommand(newRiskAssessCmd(g), newRiskImportCmd(g))
	return cmd
}

// viewRisks are the risks as the API shows them.
func viewRisks(c *call, risks []assay.Risk) []app.RiskView {
	now := c.m.App.Now()
	return mapSlice(risks, func(r assay.Risk) app.RiskView { return app.ViewRisk(r, now) })
}

func newRiskListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the risks with their scores",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			risks, err := c.m.App.Risks(c.ctx, c.p)
			if err != nil {
				return err
			}
			views := viewRisks(c, risks)
			return c.List("risks", views, len(views), func(w io.Writer) error {
				return table(w, "ID\tTITLE\tCATEGORY\tINHERENT\tRESIDUAL\tTREATMENT\tSTATUS\tOWNER", func(tw io.Writer) {
					for _, v := range views {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d (%s)\t%s\t%s\t%s\n", v.ID, v.Title, v.Category, v.InherentScore, v.ResidualScore, v.ResidualLevel,
							v.Treatment, v.Status, v.OwnerName)
					}
				})
			})
		},
	})
}

func newRiskShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one risk",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"risk"},
		Run: func(c *call) error {
			r, err := c.m.App.Risk(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			v := app.ViewRisk(r, c.m.App.Now())
			return c.Out(v, func(w io.Writer) error {
				fmt.Fprintf(w, "Risk %d: %s (%s)\n%s\n", v.ID, v.Title, v.Category, v.Description)
				fmt.Fprintf(w, "Inherent %d (likelihood %d x impact %d); residual %d, %s (%d x %d)\n", v.InherentScore, v.Likelihood, v.Impact,
					v.ResidualScore, v.ResidualLevel, v.ResidualLikelihood, v.ResidualImpact)
				fmt.Fprintf(w, "Treatment: %s; status: %s; owner: %s; controls: %s\n", v.Treatment, v.Status, orNone(v.OwnerName), orNone(strings.Join(v.Controls, ", ")))
				if v.AcceptanceState != "" {
					fmt.Fprintf(w, "Acceptance: %s (approved by %s until %s)\n", v.AcceptanceState, v.ApproverName, assay.FormatDate(v.AcceptExpires))
				}
				return nil
			})
		},
	})
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

func (rf *riskFlags) add(fl *pflag.FlagSet) {
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
func (rf *riskFlags) fill(c *call, r *assay.Risk) error {
	setChanged(c, "category", &r.Category, rf.category)
	setChanged(c, "title", &r.Title, rf.title)
	setChanged(c, "description", &r.Description, rf.description)
	setChanged(c, "likelihood", &r.Likelihood, rf.likelihood)
	setChanged(c, "impact", &r.Impact, rf.impact)
	setChanged(c, "residual-likelihood", &r.ResidualLikelihood, rf.residualLikelihood)
	setChanged(c, "residual-impact", &r.ResidualImpact, rf.residualImpact)
	setChanged(c, "treatment", &r.Treatment, assay.RiskTreatment(rf.treatment))
	setChanged(c, "status", &r.Status, assay.RiskStatus(rf.status))
	setChanged(c, "controls", &r.Controls, rf.controls)
	var err error
	if c.changed("owner") {
		if r.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", rf.owner); err != nil {
			return err
		}
	}
	if c.changed("approver") {
		if r.ApproverID, err = userIDByEmail(c.ctx, c.p, "approver", rf.approver); err != nil {
			return err
		}
	}
	if c.changed("accept-expires") {
		if r.AcceptExpires, err = assay.ParseDate("accept-expires", rf.acceptExpires); err != nil {
			return err
		}
	}
	if c.changed("review-date") {
		if r.ReviewDate, err = assay.ParseDate("review-date", rf.reviewDate); err != nil {
			return err
		}
	}
	return nil
}

func newRiskAddCmd(g *globals) *cobra.Command {
	var rf riskFlags
	return actingCommand(g, acting{
		Use:   "add --title T --category C --likelihood N --impact N [flags]",
		Short: "Add a risk to the register",
		Args:  cobra.NoArgs,
		Flags: rf.add,
		Run: func(c *call) error {
			r := assay.Risk{Treatment: assay.TreatMitigate}
			if err := rf.fill(c, &r); err != nil {
				return err
			}
			got, err := c.m.App.CreateRisks(c.ctx, c.p, []assay.Risk{r})
			if err != nil {
				return err
			}
			return printRisk(c, got[0], "Added")
		},
	})
}

func newRiskUpdateCmd(g *globals) *cobra.Command {
	var rf riskFlags
	return actingCommand(g, acting{
		Use:   "update ID [flags]",
		Short: "Change the fields given of a risk (members: only the risks they own)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"risk"},
		Flags: rf.add,
		Run: func(c *call) error {
			id := c.ID(0)
			if err := c.m.App.MayEditRisk(c.ctx, c.p, id); err != nil {
				return err
			}
			r, err := c.m.App.Risk(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			if err := rf.fill(c, &r); err != nil {
				return err
			}
			got, err := c.m.App.UpdateRisk(c.ctx, c.p, id, r)
			if err != nil {
				return err
			}
			return printRisk(c, got, "Updated")
		},
	})
}

func newRiskAdoptCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "adopt TEMPLATE-ID... | all",
		Short: "Add the library's template risks (see GET /api/v1/risk-templates)",
		Args:  cobra.MinimumNArgs(1),
		Run: func(c *call) error {
			risks, err := c.m.App.AdoptRiskTemplates(c.ctx, c.p, c.args)
			if err != nil {
				return err
			}
			views := viewRisks(c, risks)
			return c.List("risks", views, len(views), func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Adopted %d risks.\n", len(risks))
				return err
			})
		},
	})
}

func printRisk(c *call, r assay.Risk, verb string) error {
	v := app.ViewRisk(r, c.m.App.Now())
	return c.Line(v, "%s risk %d: %s (residual %d, %s)", verb, v.ID, v.Title, v.ResidualScore, v.ResidualLevel)
}
