package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newControlCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "control", Short: "Controls: list, show, add a custom control, update"}
	cmd.AddCommand(newControlListCmd(g), newControlShowCmd(g), newControlAddCmd(g), newControlUpdateCmd(g))
	return cmd
}

// controlOwner resolves --owner: an email, "me" (the --as user) or "none".
func controlOwner(cmd *cobra.Command, p app.Principal, owner string) (int64, error) {
	switch owner {
	case "none":
		return -1, nil
	case "me":
		if p.User.ID == 0 {
			return 0, assay.Invalid("owner", "--owner me needs --as EMAIL.")
		}
		return p.User.ID, nil
	}
	return userIDByEmail(cmd.Context(), p, "owner", owner)
}

func newControlListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var cf assay.ControlFilter
	var status, owner string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the controls (filter by status, owner, criterion, category or text)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			cf.Status = assay.ControlStatus(strings.TrimSpace(status))
			if owner != "" {
				if cf.OwnerID, err = controlOwner(cmd, p, owner); err != nil {
					return err
				}
			}
			controls, err := m.App.Controls(ctx, p, cf)
			if err != nil {
				return err
			}
			if f.asJSON {
				if controls == nil {
					controls = []assay.Control{}
				}
				return printJSON(cmd.OutOrStdout(), map[string]any{"controls": controls, "count": len(controls)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tOWNER\tCRITERIA")
			for _, c := range controls {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Status, orNone(c.OwnerName), strings.Join(c.Criteria, " "))
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only this status ("+statusNames()+")")
	fl.StringVar(&owner, "owner", "", "only this owner: an email, me (with --as) or none")
	fl.StringVar(&cf.Criterion, "criterion", "", "only controls mapped to this criterion (CC6.1)")
	fl.StringVar(&cf.Category, "category", "", "only controls of this category (security, availability, ...)")
	fl.StringVar(&cf.Query, "q", "", "text in the id, name, description or family")
	fl.IntVar(&cf.Limit, "limit", 0, "at most this many (1-10000)")
	return cmd
}

func statusNames() string {
	var s []string
	for _, st := range assay.ControlStatuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

func newControlShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one control",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			c, err := m.App.Control(ctx, p, strings.ToUpper(strings.TrimSpace(args[0])))
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), c)
			}
			printControl(cmd, c)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func printControl(cmd *cobra.Command, c assay.Control) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Control %s: %s (%s)\n", c.ID, c.Name, c.Family)
	if c.Description != "" {
		fmt.Fprintln(w, c.Description)
	}
	fmt.Fprintf(w, "Status: %s; owner: %s; criteria: %s\n", c.Status, orNone(c.OwnerName), orNone(strings.Join(c.Criteria, ", ")))
	fmt.Fprintf(w, "Frequency: %s; kind: %s; evidence: %s\n", c.Frequency, c.Kind, orNone(c.Evidence))
	if c.Justification != "" {
		fmt.Fprintf(w, "Justification: %s\n", c.Justification)
	}
	if c.Notes != "" {
		fmt.Fprintf(w, "Notes: %s\n", c.Notes)
	}
}

// controlFlags are a control's editable fields as flags.
type controlFlags struct {
	name, description, evidence, frequency, kind, owner, status, justification, notes string
	criteria                                                                          []string
}

func (cf *controlFlags) add(cmd *cobra.Command, withState bool) {
	fl := cmd.Flags()
	fl.StringVar(&cf.name, "name", "", "name")
	fl.StringVar(&cf.description, "description", "", "what the control does")
	fl.StringVar(&cf.evidence, "evidence", "", "the evidence that shows it works")
	fl.StringVar(&cf.frequency, "frequency", "", "how often it runs ("+strings.Join(assay.Frequencies, ", ")+")")
	fl.StringVar(&cf.kind, "kind", "", "kind ("+strings.Join(assay.ControlKinds, ", ")+")")
	fl.StringSliceVar(&cf.criteria, "criteria", nil, "criteria it meets (comma-separated ids)")
	fl.StringVar(&cf.owner, "owner", "", "owner's email (empty clears it on update)")
	if withState {
		fl.StringVar(&cf.status, "status", "", "status ("+statusNames()+")")
		fl.StringVar(&cf.justification, "justification", "", "why it is not applicable")
		fl.StringVar(&cf.notes, "notes", "", "notes")
	}
}

func newControlAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var cf controlFlags
	var id, ownerRole string
	cmd := &cobra.Command{
		Use:   "add --id ID --name NAME --criteria CC6.1[,...] [flags]",
		Short: "Add a custom control (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			c := assay.NewCustomControl(id, cf.name, cf.description, cf.criteria)
			c.Evidence = strings.TrimSpace(cf.evidence)
			if ownerRole != "" {
				c.OwnerRole = ownerRole
			}
			if cf.frequency != "" {
				c.Frequency = cf.frequency
			}
			if cf.kind != "" {
				c.Kind = cf.kind
			}
			if c.OwnerID, err = userIDByEmail(ctx, p, "owner", cf.owner); err != nil {
				return err
			}
			out, err := m.App.CreateControl(ctx, p, c)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), out)
			}
			cmd.Printf("Added control %s.\n", out.ID)
			printControl(cmd, out)
			return nil
		},
	}
	f.add(cmd)
	cf.add(cmd, false)
	cmd.Flags().StringVar(&id, "id", "", "the control's id (e.g. CUS-01)")
	cmd.Flags().StringVar(&ownerRole, "owner-role", "", "the role that owns it (default Security lead)")
	return cmd
}

func newControlUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var cf controlFlags
	cmd := &cobra.Command{
		Use:   "update ID [--status S] [--notes T] [--justification T] [--owner EMAIL] [...]",
		Short: "Change a control: its owner and members change status and notes; admins also owner, criteria and wording",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			var patch assay.ControlPatch
			ch := cmd.Flags().Changed
			str := func(name, v string) *string {
				if !ch(name) {
					return nil
				}
				return &v
			}
			patch.Name, patch.Description, patch.Evidence = str("name", cf.name), str("description", cf.description), str("evidence", cf.evidence)
			patch.Frequency, patch.Kind = str("frequency", cf.frequency), str("kind", cf.kind)
			patch.Justification, patch.Notes = str("justification", cf.justification), str("notes", cf.notes)
			if ch("status") {
				st := assay.ControlStatus(cf.status)
				patch.Status = &st
			}
			if ch("criteria") {
				patch.Criteria = &cf.criteria
			}
			if ch("owner") {
				oid, err := userIDByEmail(ctx, p, "owner", cf.owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &oid
			}
			if patch.Empty() {
				return assay.Invalid("", "Give at least one field to change (see --help).")
			}
			out, err := m.App.UpdateControl(ctx, p, strings.ToUpper(strings.TrimSpace(args[0])), patch)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), out)
			}
			cmd.Printf("Updated control %s.\n", out.ID)
			printControl(cmd, out)
			return nil
		},
	}
	f.add(cmd)
	cf.add(cmd, true)
	return cmd
}
