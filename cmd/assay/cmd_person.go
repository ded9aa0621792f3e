package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
)

func newPersonCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "person", Short: "The roster: list, show, add, update, import; complete checklist items; an employee's own tasks"}
	cmd.AddCommand(newPersonListCmd(g), newPersonShowCmd(g), newPersonAddCmd(g), newPersonUpdateCmd(g), newPersonImportCmd(g),
		newPersonItemCmd(g), newPersonTasksCmd(g))
	return cmd
}

// personRef finds a person by id or e-mail address.
func personRef(ctx context.Context, m *Main, p app.Principal, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return id, nil
	}
	roster, err := m.App.People(ctx, p, app.PeopleFilter{Query: ref})
	if err != nil {
		return 0, err
	}
	for _, v := range roster.People {
		if strings.EqualFold(v.Email, strings.TrimSpace(ref)) {
			return v.ID, nil
		}
	}
	return 0, assay.Errorf(assay.ENOTFOUND, "Nobody on the roster has the id or e-mail address %q.", ref)
}

func newPersonListCmd(g *globals) *cobra.Command {
	var pf app.PeopleFilter
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the roster with open and overdue checklist items",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&pf.Status, "status", "", "upcoming, active or departed")
			fl.StringVar(&pf.Department, "department", "", "one department")
			fl.StringVar(&pf.Query, "q", "", "search name, e-mail and title")
			fl.BoolVar(&pf.Overdue, "overdue", false, "only people with overdue checklist items")
		},
		Run: func(c *call) error {
			roster, err := c.m.App.People(c.ctx, c.p, pf)
			if err != nil {
				return err
			}
			return c.List("people", roster.People, len(roster.People), func(w io.Writer) error {
				return table(w, "ID\tNAME\tEMAIL\tDEPARTMENT\tSTATUS\tSTART\tEND\tOPEN\tOVERDUE", func(tw io.Writer) {
					for _, v := range roster.People {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", v.ID, v.Name, v.Email, v.Department, v.Status, v.StartDate, v.EndDate, v.OpenItems, v.OverdueItems)
					}
				})
			})
		},
	})
}

func newPersonShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID|EMAIL",
		Short: "Show a person with their checklists and training",
		Args:  cobra.ExactArgs(1),
		Run: func(c *call) error {
			id, err := personRef(c.ctx, c.m, c.p, c.args[0])
			if err != nil {
				return err
			}
			d, err := c.m.App.Person(c.ctx, c.p, id)
			if err != nil {
				return err
			}
			return printPersonDetail(c, d, "")
		},
	})
}

// personFlags are a person's fields as flags; only those given count.
type personFlags struct {
	name, email, title, department, manager, start, end, kind string
}

func (pf *personFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&pf.name, "name", "", "full name")
	fl.StringVar(&pf.email, "email", "", "work e-mail address")
	fl.StringVar(&pf.title, "title", "", "job title")
	fl.StringVar(&pf.department, "department", "", "department")
	fl.StringVar(&pf.manager, "manager", "", "manager's e-mail address")
	fl.StringVar(&pf.start, "start", "", "start date (2027-03-01); opens onboarding")
	fl.StringVar(&pf.end, "end", "", "end date (2027-03-31); opens offboarding, due in business days (\"\" on update removes it)")
	fl.StringVar(&pf.kind, "type", "", "employment type ("+joinTypes()+")")
}

func joinTypes() string {
	s := make([]string, len(assay.EmploymentTypes))
	for i, t := range assay.EmploymentTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// patch is the flags given as a patch.
func (pf *personFlags) patch(c *call) (assay.PersonPatch, error) {
	var out assay.PersonPatch
	setChanged(c, "name", &out.Name, &pf.name)
	setChanged(c, "email", &out.Email, &pf.email)
	setChanged(c, "title", &out.Title, &pf.title)
	setChanged(c, "department", &out.Department, &pf.department)
	setChanged(c, "manager", &out.ManagerEmail, &pf.manager)
	if c.changed("type") {
		t := assay.EmploymentType(pf.kind)
		out.EmploymentType = &t
	}
	var err error
	if c.changed("start") {
		if out.StartDate, err = assay.ParseDate("start", pf.start); err != nil {
			return out, err
		}
		if out.StartDate == nil {
			return out, assay.Invalid("start", "A start date cannot be removed once set.")
		}
	}
	if c.changed("end") {
		if out.EndDate, err = assay.ParseDate("end", pf.end); err != nil {
			return out, err
		}
		out.ClearEndDate = out.EndDate == nil
	}
	return out, nil
}

func newPersonAddCmd(g *globals) *cobra.Command {
	var pf personFlags
	var patch assay.PersonPatch
	return actingCommand(g, acting{
		Use:   "add --name N --email E [flags]",
		Short: "Add a person to the roster (admins)",
		Args:  cobra.NoArgs,
		Flags: pf.add,
		Before: func(c *call) error {
			var err error
			patch, err = pf.patch(c)
			return err
		},
		Run: func(c *call) error {
			d, err := c.m.App.CreatePerson(c.ctx, c.p, patch.Apply(assay.Person{}))
			if err != nil {
				return err
			}
			return printPersonDetail(c, d, "Added")
		},
	})
}

func newPersonUpdateCmd(g *globals) *cobra.Command {
	var pf personFlags
	var patch assay.PersonPatch
	return actingCommand(g, acting{
		Use:   "update ID|EMAIL [flags]",
		Short: "Change the fields given of a person (admins); --end sets the offboarding deadline",
		Args:  cobra.ExactArgs(1),
		Flags: pf.add,
		Before: func(c *call) error {
			var err error
			patch, err = pf.patch(c)
			return err
		},
		Run: func(c *call) error {
			if err := c.m.App.MayManagePeople(c.p); err != nil {
				return err
			}
			id, err := personRef(c.ctx, c.m, c.p, c.args[0])
			if err != nil {
				return err
			}
			d, err := c.m.App.UpdatePerson(c.ctx, c.p, id, patch)
			if err != nil {
				return err
			}
			return printPersonDetail(c, d, "Updated")
		},
	})
}

func newPersonImportCmd(g *globals) *cobra.Command {
	var text []byte
	return actingCommand(g, acting{
		Use:   "import FILE",
		Short: "Add or update (by e-mail) every person of a roster CSV or XLSX, or none (admins)",
		Long:  "Columns: name, email, title, department, manager (e-mail), start_date, end_date, employment_type; a column left out keeps the current value.",
		Args:  cobra.ExactArgs(1),
		Before: func(c *call) error {
			var err error
			if text, err = os.ReadFile(c.args[0]); err != nil {
				return fmt.Errorf("read %s: %w", c.args[0], err)
			}
			return nil
		},
		Run: func(c *call) error {
			res, err := csvimport.People(c.ctx, c.m.App, c.p, string(text))
			if err != nil {
				return err
			}
			now := c.m.App.Now()
			people := mapSlice(res.People, func(x assay.Person) app.PersonView { return app.ViewPerson(x, nil, now) })
			return c.Line(map[string]any{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "people": people},
				"Imported: %d added, %d updated, %d unchanged.", res.Created, res.Updated, res.Unchanged)
		},
	})
}

func printPersonDetail(c *call, d app.PersonDetail, verb string) error {
	if verb != "" {
		return c.Line(d, "%s person %d: %s <%s>", verb, d.ID, d.Name, d.Email)
	}
	return c.Out(d, func(w io.Writer) error {
		fmt.Fprintf(w, "Person %d: %s <%s>, %s (%s)\n", d.ID, d.Name, d.Email, orNone(d.Title), orNone(d.Department))
		fmt.Fprintf(w, "Status %s; start %s; end %s; %s; manager %s\n", d.Status, orNone(d.StartDate), orNone(d.EndDate), d.EmploymentType, orNone(d.ManagerEmail))
		printChecklist(w, d.Checklist)
		printAssignments(w, d.Training)
		return nil
	})
}
