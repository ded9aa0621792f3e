package main

import (
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/server"
)

func newTrainingCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "training", Short: "Training: list courses or assignments, add a course, assign it, complete it"}
	cmd.AddCommand(newTrainingListCmd(g), newTrainingAddCmd(g), newTrainingAssignCmd(g), newTrainingCompleteCmd(g))
	return cmd
}

func newTrainingListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var assignments bool
	var person string
	var course int64
	cmd := &cobra.Command{
		Use:   "list [--assignments [--person ID|EMAIL] [--course ID]]",
		Short: "List the courses with their completion figures, or the assignments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			w := cmd.OutOrStdout()
			if !assignments && person == "" && course == 0 {
				figures, err := m.App.Courses(ctx, p)
				if err != nil {
					return err
				}
				if f.asJSON {
					return printJSON(w, map[string]any{"courses": figures, "count": len(figures)})
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tCOURSE\tRENEWAL\tSECURITY\tAT HIRE\tASSIGNED\tCOMPLETED\tOVERDUE\tRATE")
				for _, c := range figures {
					renewal := "never"
					if c.Course.RenewalMonths > 0 {
						renewal = fmt.Sprintf("%d months", c.Course.RenewalMonths)
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d%%\n", c.Course.ID, c.Course.Name, renewal, yesNo(c.Course.Security),
						yesNo(c.Course.RequiredAtHire), c.Assigned, c.Completed, c.Overdue, c.Rate)
				}
				return tw.Flush()
			}
			tf := assay.TrainingFilter{CourseID: course}
			if person != "" {
				if tf.PersonID, err = personRef(ctx, m, p, person); err != nil {
					return err
				}
			}
			list, err := m.App.TrainingAssignments(ctx, p, tf)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(w, map[string]any{"assignments": list, "count": len(list)})
			}
			printAssignments(w, list)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&assignments, "assignments", false, "list the assignments instead of the courses")
	cmd.Flags().StringVar(&person, "person", "", "only this person's assignments (id or e-mail)")
	cmd.Flags().Int64Var(&course, "course", 0, "only this course's assignments")
	return cmd
}

func newTrainingAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var n assay.NewCourse
	var renewal int
	cmd := &cobra.Command{
		Use:   "add --name N [flags]",
		Short: "Add a training course (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if cmd.Flags().Changed("renewal-months") {
				n.RenewalMonths = &renewal
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			c, err := m.App.CreateCourse(ctx, p, n)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), c)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added course %d: %s\n", c.ID, c.Name)
			return nil
		},
	}
	f.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&n.Name, "name", "", "course name")
	fl.StringVar(&n.Link, "link", "", "where to take it (https://...)")
	fl.StringVar(&n.Description, "description", "", "what it covers")
	fl.StringVar(&n.Attestation, "attestation", "", "what a person attests on completing it")
	fl.IntVar(&renewal, "renewal-months", 0, "renew every N months (0: never; default 12)")
	fl.BoolVar(&n.RequiredAtHire, "required-at-hire", false, "assign it to every new hire")
	fl.BoolVar(&n.Security, "security", false, "counts as security awareness training (CC1.4)")
	return cmd
}

func newTrainingAssignCmd(g *globals) *cobra.Command {
	var f actingFlags
	var course int64
	var people []string
	var department, due string
	cmd := &cobra.Command{
		Use:   "assign --course ID --due DATE [--person ID|EMAIL ...] [--department D]",
		Short: "Assign a course to people, or to every active person (of a department) (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.MayManagePeople(p); err != nil {
				return err
			}
			n := assay.NewAssignment{CourseID: course, Department: department}
			if d != nil {
				n.Due = *d
			}
			for _, ref := range people {
				id, err := personRef(ctx, m, p, ref)
				if err != nil {
					return err
				}
				n.PersonIDs = append(n.PersonIDs, id)
			}
			list, err := m.App.AssignTraining(ctx, p, n)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"assignments": list, "count": len(list)})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Assigned to %d people.\n", len(list))
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().Int64Var(&course, "course", 0, "course id")
	cmd.Flags().StringSliceVar(&people, "person", nil, "people (ids or e-mail addresses); default every active person")
	cmd.Flags().StringVar(&department, "department", "", "every active person of this department")
	cmd.Flags().StringVar(&due, "due", "", "due date (2027-03-31)")
	return cmd
}

func newTrainingCompleteCmd(g *globals) *cobra.Command {
	var f actingFlags
	var attest bool
	var importFile string
	cmd := &cobra.Command{
		Use:   "complete ASSIGNMENT-ID --attest --as EMAIL | complete --import FILE",
		Short: "Attest completing one's own training (--as the person), or import completion records (admins)",
		Long: "With an assignment id, the --as user attests they completed their own training, as in the portal. With --import, " +
			"an admin records completions from a CSV or XLSX (email, course, completed_at), every row or none.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if (importFile == "") == (len(args) == 0) {
				return fmt.Errorf("give an assignment id, or --import FILE")
			}
			var id int64
			var text []byte
			var err error
			if importFile != "" {
				if text, err = os.ReadFile(importFile); err != nil {
					return fmt.Errorf("read %s: %w", importFile, err)
				}
			} else if id, err = strconv.ParseInt(args[0], 10, 64); err != nil {
				return fmt.Errorf("assignment id %q: give a number", args[0])
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if importFile != "" {
				n, err := server.ImportCompletionsCSV(ctx, m.App, p, string(text))
				if err != nil {
					return err
				}
				if f.asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]any{"imported": n})
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Imported %d completion records.\n", n)
				return nil
			}
			a, err := m.App.CompleteTraining(ctx, p, id, attest)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Completed %s (assignment %d).\n", a.CourseName, a.ID)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().BoolVar(&attest, "attest", false, "confirm you completed the course and understood it")
	cmd.Flags().StringVar(&importFile, "import", "", "completion records CSV or XLSX (email, course, completed_at)")
	return cmd
}
