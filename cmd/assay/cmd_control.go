package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newControlCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "control", Short: "Controls: list, show, add a custom control, update"}
	cmd.AddCommand(newControlListCmd(g), newControlShowCmd(g), newControlAddCmd(g), newControlUpdateCmd(g))
	return cmd
}

// controlOwner resolves --owner: an email, "me" (the --as user) or "none".
func controlOwner(ctx context.Context, p app.Principal, owner string) (int64, error) {
	switch owner {
	case "none":
		return -1, nil
	case "me":
		if p.User.ID == 0 {
			return 0, assay.Invalid("owner", "--owner me needs --as EMAIL.")
		}
		return p.User.ID, nil
	}
	return userIDByEmail(ctx, p, "owner", owner)
}

func newControlListCmd(g *globals) *cobra.Command {
	var cf assay.ControlFilter
	var status, owner string
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the controls (filter by status, owner, criterion, category or text)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&status, "status", "", "only this status ("+statusNames()+")")
			fl.StringVar(&owner, "owner", "", "only this owner: an email, me (with --as) or none")
			fl.StringVar(&cf.Criterion, "criterion", "", "only controls mapped to this criterion (CC6.1)")
			fl.StringVar(&cf.Category, "category", "", "only controls of this category (security, availability, ...)")
			fl.StringVar(&cf.Query, "q", "", "text in the id, name, description or family")
			fl.IntVar(&cf.Limit, "limit", 0, "at most this many (1-10000)")
		},
		Run: func(c *call) error {
			var err error
			cf.Status = assay.ControlStatus(strings.TrimSpace(status))
			if owner != "" {
				if cf.OwnerID, err = controlOwner(c.ctx, c.p, owner); err != nil {
					return err
				}
			}
			controls, err := c.m.App.Controls(c.ctx, c.p, cf)
			if err != nil {
				return err
			}
			if c.json && controls == nil {
				controls = []assay.Control{}
			}
			return c.List("controls", controls, len(controls), func(w io.Writer) error {
				return table(w, "ID\tNAME\tSTATUS\tOWNER\tCRITERIA", func(tw io.Writer) {
					for _, ctl := range controls {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ctl.ID, ctl.Name, ctl.Status, orNone(ctl.OwnerName), strings.Join(ctl.Criteria, " "))
					}
				})
			})
		},
	})
}

func statusNames() string {
	var s []string
	for _, st := range assay.ControlStatuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

func newControlShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one control",
		Args:  cobra.ExactArgs(1),
		Run: func(c *call) error {
			ctl, err := c.m.App.Control(c.ctx, c.p, strings.ToUpper(strings.TrimSpace(c.args[0])))
			if err != nil {
				return err
			}
			return controlOut(c, ctl, "")
		},
	})
}

// controlOut prints a control as JSON, or a lead line (to standard error,
// as cmd.Printf does) and the control as text.
func controlOut(c *call, ctl assay.Control, lead string) error {
	return c.Out(ctl, func(w io.Writer) error {
		if lead != "" {
			c.cmd.Printf("%s\n", lead)
		}
		printControl(w, ctl)
		return nil
	})
}

func printControl(w io.Writer, c assay.Control) {
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

func (cf *controlFlags) add(fl *pflag.FlagSet, withState bool) {
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
	var cf controlFlags
	var id, ownerRole string
	return actingCommand(g, acting{
		Use:   "add --id ID --name NAME --criteria CC6.1[,...] [flags]",
		Short: "Add a custom control (admins)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			cf.add(fl, false)
			fl.StringVar(&id, "id", "", "the control's id (e.g. CUS-01)")
			fl.StringVar(&ownerRole, "owner-role", "", "the role that owns it (default Security lead)")
		},
		Run: func(c *call) error {
			ctl := assay.NewCustomControl(id, cf.name, cf.description, cf.criteria)
			ctl.Evidence = strings.TrimSpace(cf.evidence)
			if ownerRole != "" {
				ctl.OwnerRole = ownerRole
			}
			if cf.frequency != "" {
				ctl.Frequency = cf.frequency
			}
			if cf.kind != "" {
				ctl.Kind = cf.kind
			}
			var err error
			if ctl.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", cf.owner); err != nil {
				return err
			}
			out, err := c.m.App.CreateControl(c.ctx, c.p, ctl)
			if err != nil {
				return err
			}
			return controlOut(c, out, fmt.Sprintf("Added control %s.", out.ID))
		},
	})
}

func newControlUpdateCmd(g *globals) *cobra.Command {
	var cf controlFlags
	return actingCommand(g, acting{
		Use:   "update ID [--status S] [--notes T] [--justification T] [--owner EMAIL] [...]",
		Short: "Change a control: its owner and members change status and notes; admins also owner, criteria and wording",
		Args:  cobra.ExactArgs(1),
		Flags: func(fl *pflag.FlagSet) { cf.add(fl, true) },
		Run: func(c *call) error {
			var patch assay.ControlPatch
			ch := c.changed
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
				oid, err := userIDByEmail(c.ctx, c.p, "owner", cf.owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &oid
			}
			if patch.Empty() {
				return assay.Invalid("", "Give at least one field to change (see --help).")
			}
			out, err := c.m.App.UpdateControl(c.ctx, c.p, strings.ToUpper(strings.TrimSpace(c.args[0])), patch)
			if err != nil {
				return err
			}
			return controlOut(c, out, fmt.Sprintf("Updated control %s.", out.ID))
		},
	})
}
