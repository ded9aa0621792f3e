package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/server"
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
	var f actingFlags
	var pf app.PeopleFilter
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the roster with open and overdue checklist items",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			roster, err := m.App.People(ctx, p, pf)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"people": roster.People, "count": len(roster.People)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tDEPARTMENT\tSTATUS\tSTART\tEND\tOPEN\tOVERDUE")
			for _, v := range roster.People {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", v.ID, v.Name, v.Email, v.Department, v.Status, v.StartDate, v.EndDate, v.OpenItems, v.OverdueItems)
			}
			return tw.Flush()
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&pf.Status, "status", "", "upcoming, active or departed")
	cmd.Flags().StringVar(&pf.Department, "department", "", "one department")
	cmd.Flags().StringVar(&pf.Query, "q", "", "search name, e-mail and title")
	cmd.Flags().BoolVar(&pf.Overdue, "overdue", false, "only people with overdue checklist items")
	return cmd
}

func newPersonShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID|EMAIL",
		Short: "Show a person with their checklists and training",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			id, err := personRef(ctx, m, p, args[0])
			if err != nil {
				return err
			}
			d, err := m.App.Person(ctx, p, id)
			if err != nil {
				return err
			}
			return printPersonDetail(cmd, f, d, "")
		},
	}
	f.add(cmd)
	return cmd
}

// personFlags are a person's fields as flags; only those given count.
type personFlags struct {
	name, email, title, department, manager, start, end, kind string
}

func (pf *personFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
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
func (pf *personFlags) patch(cmd *cobra.Command) (assay.PersonPatch, error) {
	ch := cmd.Flags().Changed
	var out assay.PersonPatch
	for name, pair := range map[string]struct {
		dst **string
		v   string
	}{"name": {&out.Name, pf.name}, "email": {&out.Email, pf.email}, "title": {&out.Title, pf.title},
		"department": {&out.Department, pf.department}, "manager": {&out.ManagerEmail, pf.manager}} {
		if ch(name) {
			v := pair.v
			*pair.dst = &v
		}
	}
	if ch("type") {
		t := assay.EmploymentType(pf.kind)
		out.EmploymentType = &t
	}
	var err error
	if ch("start") {
		if out.StartDate, err = assay.ParseDate("start", pf.start); err != nil {
			return out, err
		}
		if out.StartDate == nil {
			return out, assay.Invalid("start", "A start date cannot be removed once set.")
		}
	}
	if ch("end") {
		if out.EndDate, err = assay.ParseDate("end", pf.end); err != nil {
			return out, err
		}
		out.ClearEndDate = out.EndDate == nil
	}
	return out, nil
}

func newPersonAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var pf personFlags
	cmd := &cobra.Command{
		Use:   "add --name N --email E [flags]",
		Short: "Add a person to the roster (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			patch, err := pf.patch(cmd)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			d, err := m.App.CreatePerson(ctx, p, patch.Apply(assay.Person{}))
			if err != nil {
				return err
			}
			return printPersonDetail(cmd, f, d, "Added")
		},
	}
	f.add(cmd)
	pf.add(cmd)
	return cmd
}

func newPersonUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var pf personFlags
	cmd := &cobra.Command{
		Use:   "update ID|EMAIL [flags]",
		Short: "Change the fields given of a person (admins); --end sets the offboarding deadline",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			patch, err := pf.patch(cmd)
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
			id, err := personRef(ctx, m, p, args[0])
			if err != nil {
				return err
			}
			d, err := m.App.UpdatePerson(ctx, p, id, patch)
			if err != nil {
				return err
			}
			return printPersonDetail(cmd, f, d, "Updated")
		},
	}
	f.add(cmd)
	pf.add(cmd)
	return cmd
}

func newPersonImportCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Add or update (by e-mail) every person of a roster CSV or XLSX, or none (admins)",
		Long:  "Columns: name, email, title, department, manager (e-mail), start_date, end_date, employment_type; a column left out keeps the current value.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			text, err := os.ReadFile(args[0])
			if err != nil {
				return fmt.Errorf("read %s: %w", args[0], err)
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			res, err := server.ImportPeopleCSV(ctx, m.App, p, string(text))
			if err != nil {
				return err
			}
			if f.asJSON {
				out := make([]app.PersonView, len(res.People))
				for i, x := range res.People {
					out[i] = app.ViewPerson(x, nil, m.App.Now())
				}
				return printJSON(cmd.OutOrStdout(), map[string]any{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "people": out})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Imported: %d added, %d updated, %d unchanged.\n", res.Created, res.Updated, res.Unchanged)
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func printPersonDetail(cmd *cobra.Command, f actingFlags, d app.PersonDetail, verb string) error {
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), d)
	}
	w := cmd.OutOrStdout()
	if verb != "" {
		fmt.Fprintf(w, "%s person %d: %s <%s>\n", verb, d.ID, d.Name, d.Email)
		return nil
	}
	fmt.Fprintf(w, "Person %d: %s <%s>, %s (%s)\n", d.ID, d.Name, d.Email, orNone(d.Title), orNone(d.Department))
	fmt.Fprintf(w, "Status %s; start %s; end %s; %s; manager %s\n", d.Status, orNone(d.StartDate), orNone(d.EndDate), d.EmploymentType, orNone(d.ManagerEmail))
	printChecklist(w, d.Checklist)
	printAssignments(w, d.Training)
	return nil
}
