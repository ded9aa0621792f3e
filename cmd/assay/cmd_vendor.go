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

func newVendorCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "vendor", Short: "The vendor register: list, show, add, update, review"}
	cmd.AddCommand(newVendorListCmd(g), newVendorShowCmd(g), newVendorAddCmd(g), newVendorUpdateCmd(g), newVendorReviewCmd(g))
	cmd.AddCommand(newVendorImportCmd(g))
	return cmd
}

func vendorID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("vendor id %q: give a number", arg)
	}
	return id, nil
}

func newVendorListCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the vendors with their tier, review and SOC 2 report state",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			list, err := m.App.Vendors(ctx, p)
			if err != nil {
				return err
			}
			views := make([]app.VendorView, len(list))
			for i, v := range list {
				views[i] = app.ViewVendor(v, m.App.Now())
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"vendors": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTIER\tREVIEW\tNEXT REVIEW\tSOC 2\tOWNER")
			for _, v := range views {
				review := "due"
				if v.ReviewCurrent {
					review = "current"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Name, v.Tier, review, v.NextReviewDue.Format("2006-01-02"), v.SOC2State, v.OwnerName)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	return cmd
}

func newVendorShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one vendor",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := vendorID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			v, err := m.App.Vendor(ctx, p, id)
			if err != nil {
				return err
			}
			return printVendor(cmd, m, f, v, "Vendor")
		},
	}
	f.add(cmd)
	return cmd
}

// vendorFlags are a vendor's fields as flags; fill copies the ones given.
type vendorFlags struct {
	name, services, dataShared, classification, criticality, owner, tierOverride, tierReason string
	subprocessor                                                                             bool
	clauses                                                                                  []string
}

func (vf *vendorFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
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

func (vf *vendorFlags) fill(cmd *cobra.Command, p app.Principal, v *assay.Vendor) error {
	ch := cmd.Flags().Changed
	for name, pair := range map[string]struct {
		dst *string
		val string
	}{"name": {&v.Name, vf.name}, "services": {&v.Services, vf.services}, "data-shared": {&v.DataShared, vf.dataShared},
		"criticality": {&v.Criticality, vf.criticality}, "tier-override": {&v.TierOverride, vf.tierOverride}, "tier-reason": {&v.TierOverrideReason, vf.tierReason}} {
		if ch(name) {
			*pair.dst = pair.val
		}
	}
	if ch("classification") {
		v.Classification = assay.DataClass(vf.classification)
	}
	if ch("subprocessor") {
		v.Subprocessor = vf.subprocessor
	}
	if ch("clauses") {
		v.Clauses = vf.clauses
	}
	if ch("owner") {
		id, err := userIDByEmail(cmd.Context(), p, "owner", vf.owner)
		if err != nil {
			return err
		}
		v.OwnerID = id
	}
	return nil
}

func newVendorAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var vf vendorFlags
	cmd := &cobra.Command{
		Use:   "add --name N --classification C --criticality C [flags]",
		Short: "Add a vendor to the register",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			var v assay.Vendor
			if err := vf.fill(cmd, p, &v); err != nil {
				return err
			}
			got, err := m.App.CreateVendors(ctx, p, []assay.Vendor{v})
			if err != nil {
				return err
			}
			return printVendor(cmd, m, f, got[0], "Added vendor")
		},
	}
	f.add(cmd)
	vf.add(cmd)
	return cmd
}

func newVendorUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var vf vendorFlags
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change the fields given of a vendor (members: only the vendors they own)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := vendorID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.MayEditVendor(ctx, p, id); err != nil {
				return err
			}
			v, err := m.App.Vendor(ctx, p, id)
			if err != nil {
				return err
			}
			if err := vf.fill(cmd, p, &v); err != nil {
				return err
			}
			got, err := m.App.UpdateVendor(ctx, p, id, v)
			if err != nil {
				return err
			}
			return printVendor(cmd, m, f, got, "Updated vendor")
		},
	}
	f.add(cmd)
	vf.add(cmd)
	return cmd
}

func newVendorReviewCmd(g *globals) *cobra.Command {
	var f actingFlags
	var answers map[string]string
	cmd := &cobra.Command{
		Use:   "review ID --answer VQ-01=yes [--answer VQ-02=no ...]",
		Short: "Record a security review from the answers to the vendor questions (GET /api/v1/vendor-questions)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := vendorID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			v, err := m.App.ReviewVendor(ctx, p, id, answers)
			if err != nil {
				return err
			}
			return printVendor(cmd, m, f, v, "Reviewed vendor")
		},
	}
	f.add(cmd)
	cmd.Flags().StringToStringVar(&answers, "answer", nil, "an answer, QUESTION-ID=yes|no|n/a (repeat the flag)")
	return cmd
}

func printVendor(cmd *cobra.Command, m *Main, f actingFlags, v assay.Vendor, verb string) error {
	view := app.ViewVendor(v, m.App.Now())
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), view)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s %d: %s (tier %s, review score %d, SOC 2 report %s)\n", verb, view.ID, view.Name, view.Tier, view.ReviewScore, view.SOC2State)
	return nil
}
