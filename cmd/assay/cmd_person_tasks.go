package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newPersonItemCmd(g *globals) *cobra.Command {
	var f actingFlags
	var note string
	var undo bool
	cmd := &cobra.Command{
		Use:   "complete ITEM-ID",
		Short: "Mark a checklist item done, with a note (admins any item; anyone else only their own, in the portal's way)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("checklist item id %q: give a number", args[0])
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			it, err := m.App.CompleteChecklistItem(ctx, p, id, !undo, note)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), it)
			}
			state := "done"
			if !it.Done {
				state = "open again"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Checklist item %d (%s, %s) is %s.\n", it.ID, it.Title, it.PersonName, state)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&note, "note", "", "what was done (kept with the item)")
	cmd.Flags().BoolVar(&undo, "undo", false, "reopen the item (admins)")
	return cmd
}

func newPersonTasksCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "tasks --as EMAIL",
		Short: "An employee's own tasks, as the portal shows them: policies to accept, training, checklist items",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			t, err := m.App.PortalTasks(ctx, p)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), t)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s <%s>: %d open tasks\n", t.Person.Name, t.Person.Email, t.Open)
			if t.Tracked {
				for _, v := range t.Policies {
					fmt.Fprintf(w, "Policy to accept: %s (version %s)\n", v.PolicyTitle, v.Version)
				}
			}
			printChecklist(w, t.Checklist)
			printAssignments(w, t.Training)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func printChecklist(w io.Writer, items []app.ChecklistView) {
	if len(items) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tCHECKLIST\tTITLE\tASSIGNEE\tDUE\tDONE\tOVERDUE")
	for _, it := range items {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Kind, it.Title, it.Assignee, orNone(assay.FormatDate(it.Due)), yesNo(it.Done), yesNo(it.Overdue))
	}
	tw.Flush()
}

func printAssignments(w io.Writer, list []assay.TrainingAssignment) {
	if len(list) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ASSIGNMENT\tPERSON\tCOURSE\tSTATUS\tDUE")
	for _, a := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.PersonName, a.CourseName, a.Status, assay.FormatDate(&a.DueAt))
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
