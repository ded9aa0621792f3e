package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/csvimport"
)

func newTrainingCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "training", Short: "Training: list courses or assignments, add a course, assign it, complete it"}
	cmd.AddCommand(newTrainingListCmd(g), newTrainingAddCmd(g), newTrainingAssignCmd(g), newTrainingCompleteCmd(g))
	return cmd
}

func newTrainingListCmd(g *globals) *cobra.Command {
	var assignments bool
	var person string
	var course int64
	return actingCommand(g, acting{
		Use:   "list [--assignments [--person ID|EMAIL] [--course ID]]",
		Short: "List the courses with their completion figures, or the assignments",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.BoolVar(&assignments, "assignments", false, "list the assignments instead of the courses")
			fl.StringVar(&person, "person", "", "only this person's assignments (id or e-mail)")
			fl.Int64Var(&course, "course", 0, "only this course's assignments")
		},
		Run: func(c *call) error {
			if !assignments && person == "" && course == 0 {
				figures, err := c.m.App.Courses(c.ctx, c.p)
				if err != nil {
					return err
				}
				return c.List("courses", figures, len(figures), func(w io.Writer) error {
					return table(w, "ID\tCOURSE\tRENEWAL\tSECURITY\tAT HIRE\tASSIGNED\tCOMPLETED\tOVERDUE\tRATE", func(tw io.Writer) {
						for _, c := range figures {
							renewal := "never"
							if c.Course.RenewalMonths > 0 {
								renewal = fmt.Sprintf("%d months", c.Course.RenewalMonths)
							}
							fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d%%\n", c.Course.ID, c.Course.Name, renewal, yesNo(c.Course.Security),
								yesNo(c.Course.RequiredAtHire), c.Assigned, c.Completed, c.Overdue, c.Rate)
						}
					})
				})
			}
			tf := assay.TrainingFilter{CourseID: course}
			if person != "" {
				var err error
				if tf.PersonID, err = personRef(c.ctx, c.m, c.p, person); err != nil {
					return err
				}
			}
			list, err := c.m.App.TrainingAssignments(c.ctx, c.p, tf)
			if err != nil {
				return err
			}
			return c.List("assignments", list, len(list), func(w io.Writer) error {
				printAssignments(w, list)
				return nil
			})
		},
	})
}

func newTrainingAddCmd(g *globals) *cobra.Command {
	var n assay.NewCourse
	var renewal int
	return actingCommand(g, acting{
		Use:   "add --name N [flags]",
		Short: "Add a training course (admins)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&n.Name, "name", "", "course name")
			fl.StringVar(&n.Link, "link", "", "where to take it (https://...)")
			fl.StringVar(&n.Description, "description", "", "what it covers")
			fl.StringVar(&n.Attestation, "attestation", "", "what a person attests on completing it")
			fl.IntVar(&renewal, "renewal-months", 0, "renew every N months (0: never; default 12)")
			fl.BoolVar(&n.RequiredAtHire, "required-at-hire", false, "assign it to every new hire")
			fl.BoolVar(&n.Security, "security", false, "counts as security awareness training (CC1.4)")
		},
		Run: func(c *call) error {
			setChanged(c, "renewal-months", &n.RenewalMonths, &renewal)
			course, err := c.m.App.CreateCourse(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return c.Line(course, "Added course %d: %s", course.ID, course.Name)
		},
	})
}

func newTrainingAssignCmd(g *globals) *cobra.Command {
	var course int64
	var people []string
	var department, due string
	var n assay.NewAssignment
	return actingCommand(g, acting{
		Use:   "assign --course ID --due DATE [--person ID|EMAIL ...] [--department D]",
		Short: "Assign a course to people, or to every active person (of a department) (admins)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.Int64Var(&course, "course", 0, "course id")
			fl.StringSliceVar(&people, "person", nil, "people (ids or e-mail addresses); default every active person")
			fl.StringVar(&department, "department", "", "every active person of this department")
			fl.StringVar(&due, "due", "", "due date (2027-03-31)")
		},
		Before: func(c *call) error {
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			n = assay.NewAssignment{CourseID: course, Department: department}
			if d != nil {
				n.Due = *d
			}
			return nil
		},
		Run: func(c *call) error {
			if err := c.m.App.MayManagePeople(c.p); err != nil {
				return err
			}
			for _, ref := range people {
				id, err := personRef(c.ctx, c.m, c.p, ref)
				if err != nil {
					return err
				}
				n.PersonIDs = append(n.PersonIDs, id)
			}
			list, err := c.m.App.AssignTraining(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return c.List("assignments", list, len(list), func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Assigned to %d people.\n", len(list))
				return err
			})
		},
	})
}

func newTrainingCompleteCmd(g *globals) *cobra.Command {
	var attest bool
	var importFile string
	var id int64
	var text []byte
	return actingCommand(g, acting{
		Use:   "complete ASSIGNMENT-ID --attest --as EMAIL | complete --import FILE",
		Short: "Attest completing one's own training (--as the person), or import completion records (admins)",
		Long: "With an assignment id, the --as user attests they completed their own training, as in the portal. With --import, " +
			"an admin records completions from a CSV or XLSX (email, course, completed_at), every row or none.",
		Args: cobra.MaximumNArgs(1),
		Flags: func(fl *pflag.FlagSet) {
			fl.BoolVar(&attest, "attest", false, "confirm you completed the course and understood it")
			fl.StringVar(&importFile, "import", "", "completion records CSV or XLSX (email, course, completed_at)")
		},
		Before: func(c *call) error {
			if (importFile == "") == (len(c.args) == 0) {
				return fmt.Errorf("give an assignment id, or --import FILE")
			}
			var err error
			if importFile != "" {
				if text, err = os.ReadFile(importFile); err != nil {
					return fmt.Errorf("read %s: %w", importFile, err)
				}
				return nil
			}
			id, err = recordID("assignment", c.args[0])
			return err
		},
		Run: func(c *call) error {
			if importFile != "" {
				n, err := csvimport.Completions(c.ctx, c.m.App, c.p, string(text))
				if err != nil {
					return err
				}
				return c.Line(map[string]any{"imported": n}, "Imported %d completion records.", n)
			}
			a, err := c.m.App.CompleteTraining(c.ctx, c.p, id, attest)
			if err != nil {
				return err
			}
			return c.Line(a, "Completed %s (assignment %d).", a.CourseName, a.ID)
		},
	})
}
