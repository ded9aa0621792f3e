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

func newVendorCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "vendor", Short: "The vendor register: list, show, add, update, review"}
	cmd.AddCommand(newVendorListCmd(g), newVendorShowCmd(g), newVendorAddCmd(g), newVendorUpdateCmd(g), newVendorReviewCmd(g))
	cmd.AddCommand(newVendorImportCmd(g))
	return cmd
}

func newVendorListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the vendors with their tier, review and SOC 2 report state",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			list, err := c.m.App.Vendors(c.ctx, c.p)
			if err != nil {
				return err
			}
			now := c.m.App.Now()
			views := mapSlice(list, func(v assay.Vendor) app.VendorView { return app.ViewVendor(v, now) })
			return c.List("vendors", views, len(views), func(w io.Writer) error {
				return table(w, "ID\tNAME\tTIER\tREVIEW\tNEXT REVIEW\tSOC 2\tOWNER", func(tw io.Writer) {
					for _, v := range views {
						review := "due"
						if v.ReviewCurrent {
							review = "current"
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Name, v.Tier, review, v.NextReviewDue.Format("2006-01-02"), v.SOC2State, v.OwnerName)
					}
				})
			})
		},
	})
}

func newVendorShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one vendor",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"vendor"},
		Run: func(c *call) error {
			v, err := c.m.App.Vendor(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return printVendor(c, v, "Vendor")
		},
	})
}

// vendorFlags are a vendor's fields as flags; fill copies the ones given.
type vendorFlags struct {
	name, services, dataShared, classification, criticality, owner, tierOverride, tierReason string
	subprocessor                                                                             bool
	clauses                                                                                  []string
}

func (vf *vendorFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&vf.name, "name", "", "name")
	fl.StringVar(&vf.services, "services", "", "what the vendor does for you")
	fl.StringVar(&vf.dataShared, "data-shared", "", "what data it receives")
	fl.StringVar(&vf.classification, "classification", "", "the most sensitive data class it holds")
	fl.StringVar(&vf.criticality, "criticality", "", "low, medium or high")
	fl.StringVar(&vf.owner, "owner", "", "owner's email")
	fl.BoolVar(&vf.subprocessor, "subprocessor", false, "it processes customer personal data on your behalf")
	fl.StringVar(&vf.tierOverride, "tier-override", "", "a manual tier (admins; needs --tier-reason)")
	fl.StringVar(&vf.tierReason, "tier-reason", "", "why the tier is overridden")
	fl.StringSliceVar(&vf.clauses, "clauses", nil, "contract clauses present (comma-separated: "+strings.Join(assay.ContractClauses, ", ")+")")
}

// fill sets on v the fields whose flags were given.
func (vf *vendorFlags) fill(c *call, v *assay.Vendor) error {
	setChanged(c, "name", &v.Name, vf.name)
	setChanged(c, "services", &v.Services, vf.services)
	setChanged(c, "data-shared", &v.DataShared, vf.dataShared)
	setChanged(c, "criticality", &v.Criticality, vf.criticality)
	setChanged(c, "tier-override", &v.TierOverride, vf.tierOverride)
	setChanged(c, "tier-reason", &v.TierOverrideReason, vf.tierReason)
	setChanged(c, "classification", &v.Classification, assay.DataClass(vf.classification))
	setChanged(c, "subprocessor", &v.Subprocessor, vf.subprocessor)
	setChanged(c, "clauses", &v.Clauses, vf.clauses)
	if c.changed("owner") {
		id, err := userIDByEmail(c.ctx, c.p, "owner", vf.owner)
		if err != nil {
			return err
		}
		v.OwnerID = id
	}
	return nil
}

func newVendorAddCmd(g *globals) *cobra.Command {
	var vf vendorFlags
	return actingCommand(g, acting{
		Use:   "add --name N --classification C --criticality C [flags]",
		Short: "Add a vendor to the register",
		Args:  cobra.NoArgs,
		Flags: vf.add,
		Run: func(c *call) error {
			var v assay.Vendor
			if err := vf.fill(c, &v); err != nil {
				return err
			}
			got, err := c.m.App.CreateVendors(c.ctx, c.p, []assay.Vendor{v})
			if err != nil {
				return err
			}
			return printVendor(c, got[0], "Added vendor")
		},
	})
}

func newVendorUpdateCmd(g *globals) *cobra.Command {
	var vf vendorFlags
	return actingCommand(g, acting{
		Use:   "update ID [flags]",
		Short: "Change the fields given of a vendor (members: only the vendors they own)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"vendor"},
		Flags: vf.add,
		Run: func(c *call) error {
			id := c.ID(0)
			if err := c.m.App.MayEditVendor(c.ctx, c.p, id); err != nil {
				return err
			}
			v, err := c.m.App.Vendor(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			if err := vf.fill(c, &v); err != nil {
				return err
			}
			got, err := c.m.App.UpdateVendor(c.ctx, c.p, id, v)
			if err != nil {
				return err
			}
			return printVendor(c, got, "Updated vendor")
		},
	})
}

func newVendorReviewCmd(g *globals) *cobra.Command {
	var answers map[string]string
	return actingCommand(g, acting{
		Use:   "review ID --answer VQ-01=yes [--answer VQ-02=no ...]",
		Short: "Record a security review from the answers to the vendor questions (GET /api/v1/vendor-questions)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"vendor"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringToStringVar(&answers, "answer", nil, "an answer, QUESTION-ID=yes|no|n/a (repeat the flag)")
		},
		Run: func(c *call) error {
			v, err := c.m.App.ReviewVendor(c.ctx, c.p, c.ID(0), answers)
			if err != nil {
				return err
			}
			return printVendor(c, v, "Reviewed vendor")
		},
	})
}

func printVendor(c *call, v assay.Vendor, verb string) error {
	view := app.ViewVendor(v, c.m.App.Now())
	return c.Line(view, "%s %d: %s (tier %s, review score %d, SOC 2 report %s)", verb, view.ID, view.Name, view.Tier, view.ReviewScore, view.SOC2State)
}
