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

func newCorrectiveCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "corrective", Short: "The corrective action register: list, show, add, update"}
	cmd.AddCommand(newCorrectiveListCmd(g), newCorrectiveShowCmd(g), newCorrectiveAddCmd(g), newCorrectiveUpdateCmd(g))
	return cmd
}

// dueText is a due date, marked when overdue.
func dueText(v app.CorrectiveView) string {
	due := v.DueDate.Format("2006-01-02")
	if v.Overdue {
		due += " (overdue)"
	}
	return due
}

func newCorrectiveListCmd(g *globals) *cobra.Command {
	var status, source, owner string
	var incident int64
	var overdue bool
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the corrective actions",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&status, "status", "", "only actions in this status ("+joinStatuses(assay.CorrectiveStatuses)+")")
			fl.StringVar(&source, "source", "", "only actions from this source ("+joinStatuses(assay.CorrectiveSources)+")")
			fl.StringVar(&owner, "owner", "", "only actions this user owns (email, or \"me\" with --as)")
			fl.Int64Var(&incident, "incident", 0, "only the actions of this incident's review")
			fl.BoolVar(&overdue, "overdue", false, "only open or in-progress actions past their due date")
		},
		Run: func(c *call) error {
			filter := assay.CorrectiveFilter{Status: assay.CorrectiveStatus(status), Source: assay.CorrectiveSource(source), IncidentID: incident, Overdue: overdue}
			var err error
			if owner == "me" {
				if filter.OwnerID = c.p.User.ID; filter.OwnerID == 0 {
					return assay.Invalid("owner", "--owner me needs --as: the operator owns no actions.")
				}
			} else if filter.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", owner); err != nil {
				return err
			}
			list, err := c.m.App.CorrectiveActions(c.ctx, c.p, filter)
			if err != nil {
				return err
			}
			views := app.ViewCorrectives(list, c.m.App.Now())
			return c.List("corrective_actions", views, len(views), func(w io.Writer) error {
				return table(w, "ID\tTITLE\tSTATUS\tSOURCE\tOWNER\tDUE", func(tw io.Writer) {
					for _, v := range views {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Title, v.Status, v.Source, orNone(v.OwnerName), dueText(v))
					}
				})
			})
		},
	})
}

func newCorrectiveShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show one corrective action",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"corrective action"},
		Run: func(c *call) error {
			ca, err := c.m.App.CorrectiveAction(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			v := app.ViewCorrective(ca, c.m.App.Now())
			return c.Out(v, func(w io.Writer) error {
				fmt.Fprintf(w, "Corrective action %d: %s\n", v.ID, v.Title)
				fmt.Fprintf(w, "Action: %s\n", v.Action)
				if v.RootCause != "" {
					fmt.Fprintf(w, "Root cause: %s\n", v.RootCause)
				}
				fmt.Fprintf(w, "Status: %s; owner: %s; due %s\n", v.Status, orNone(v.OwnerName), dueText(v))
				fmt.Fprintf(w, "Source: %s %s\n", v.Source, v.SourceRef)
				if v.VerifiedAt != nil {
					fmt.Fprintf(w, "Verified by %s on %s: %s\n", v.VerifiedByName, v.VerifiedAt.Format("2006-01-02"), v.VerificationNotes)
				}
				return nil
			})
		},
	})
}

func newCorrectiveAddCmd(g *globals) *cobra.Command {
	var n assay.NewCorrectiveAction
	var source, owner, due string
	return actingCommand(g, acting{
		Use:   "add --title T --action A --due DATE [flags]",
		Short: "Add a corrective action to the register (admins)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&n.Title, "title", "", "the non-conformity")
			fl.StringVar(&n.Action, "action", "", "the action that corrects it")
			fl.StringVar(&n.RootCause, "root-cause", "", "its root cause")
			fl.StringVar(&owner, "owner", "", "who owns it (email of an admin or member)")
			fl.StringVar(&due, "due", "", "when it is due (2028-03-31)")
			fl.StringVar(&source, "source", "", "where it was found ("+joinStatuses(assay.CorrectiveSources)+"; default manual)")
			fl.StringVar(&n.SourceRef, "source-ref", "", "a reference to the finding")
			fl.Int64Var(&n.IncidentID, "incident", 0, "the incident it comes from")
		},
		Before: func(c *call) error {
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			if d != nil {
				n.DueDate = *d
			}
			n.Source = assay.CorrectiveSource(source)
			return nil
		},
		Run: func(c *call) error {
			var err error
			if n.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", owner); err != nil {
				return err
			}
			ca, err := c.m.App.CreateCorrectiveAction(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return printCorrective(c, ca, "Added")
		},
	})
}

func newCorrectiveUpdateCmd(g *globals) *cobra.Command {
	var status, action, rootCause, owner, due, notes string
	return actingCommand(g, acting{
		Use:   "update ID [--status S] [--action A] [--root-cause R] [--owner EMAIL] [--due DATE] [--notes TEXT]",
		Short: "Change a corrective action (members: the status, short of verified, and text of the actions they own)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"corrective action"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&status, "status", "", "open, in_progress, done or verified (admins; needs --notes)")
			fl.StringVar(&action, "action", "", "the action's text")
			fl.StringVar(&rootCause, "root-cause", "", "the root cause")
			fl.StringVar(&owner, "owner", "", "hand it to this user (email; admins)")
			fl.StringVar(&due, "due", "", "a new due date (2028-03-31; admins)")
			fl.StringVar(&notes, "notes", "", "how it was shown to be effective (when verifying)")
		},
		Run: func(c *call) error {
			id := c.ID(0)
			if err := c.m.App.MayUpdateCorrective(c.ctx, c.p, id); err != nil {
				return err
			}
			var patch assay.CorrectivePatch
			if c.changed("status") {
				st := assay.CorrectiveStatus(strings.ToLower(status))
				patch.Status = &st
			}
			setChanged(c, "action", &patch.Action, &action)
			setChanged(c, "root-cause", &patch.RootCause, &rootCause)
			setChanged(c, "notes", &patch.VerificationNotes, &notes)
			if c.changed("owner") {
				oid, err := userIDByEmail(c.ctx, c.p, "owner", owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &oid
			}
			if c.changed("due") {
				var err error
				if patch.DueDate, err = assay.ParseDate("due", due); err != nil {
					return err
				}
				if patch.DueDate == nil {
					return assay.Invalid("due", "Give a due date.")
				}
			}
			ca, err := c.m.App.UpdateCorrectiveAction(c.ctx, c.p, id, patch)
			if err != nil {
				return err
			}
			return printCorrective(c, ca, "Updated")
		},
	})
}

func printCorrective(c *call, ca assay.CorrectiveAction, verb string) error {
	v := app.ViewCorrective(ca, c.m.App.Now())
	return c.Line(v, "%s corrective action %d: %s (%s, owner %s, due %s)", verb, v.ID, v.Title, v.Status, orNone(v.OwnerName), v.DueDate.Format("2006-01-02"))
}
