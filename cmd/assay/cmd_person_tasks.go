package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newPersonItemCmd(g *globals) *cobra.Command {
	var note string
	var undo bool
	return actingCommand(g, acting{
		Use:   "complete ITEM-ID",
		Short: "Mark a checklist item done, with a note (admins any item; anyone else only their own, in the portal's way)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"checklist item"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&note, "note", "", "what was done (kept with the item)")
			fl.BoolVar(&undo, "undo", false, "reopen the item (admins)")
		},
		Run: func(c *call) error {
			it, err := c.m.App.CompleteChecklistItem(c.ctx, c.p, c.ID(0), !undo, note)
			if err != nil {
				return err
			}
			state := "done"
			if !it.Done {
				state = "open again"
			}
			return c.Line(it, "Checklist item %d (%s, %s) is %s.", it.ID, it.Title, it.PersonName, state)
		},
	})
}

func newPersonTasksCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "tasks --as EMAIL",
		Short: "An employee's own tasks, as the portal shows them: policies to accept, training, checklist items",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			t, err := c.m.App.PortalTasks(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.Out(t, func(w io.Writer) error {
				fmt.Fprintf(w, "%s <%s>: %d open tasks\n", t.Person.Name, t.Person.Email, t.Open)
				if t.Tracked {
					for _, v := range t.Policies {
						fmt.Fprintf(w, "Policy to accept: %s (version %s)\n", v.PolicyTitle, v.Version)
					}
				}
				printChecklist(w, t.Checklist)
				printAssignments(w, t.Training)
				return nil
			})
		},
	})
}

func printChecklist(w io.Writer, items []app.ChecklistView) {
	if len(items) == 0 {
		return
	}
	_ = table(w, "ITEM\tCHECKLIST\tTITLE\tASSIGNEE\tDUE\tDONE\tOVERDUE", func(tw io.Writer) {
		for _, it := range items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Kind, it.Title, it.Assignee, orNone(assay.FormatDate(it.Due)), yesNo(it.Done), yesNo(it.Overdue))
		}
	})
}

func printAssignments(w io.Writer, list []assay.TrainingAssignment) {
	if len(list) == 0 {
		return
	}
	_ = table(w, "ASSIGNMENT\tPERSON\tCOURSE\tSTATUS\tDUE", func(tw io.Writer) {
		for _, a := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.PersonName, a.CourseName, a.Status, assay.FormatDate(&a.DueAt))
		}
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
