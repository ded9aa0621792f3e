package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newCorrectiveCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "corrective", Short: "The corrective action register: list, show, add, update"}
	cmd.AddCommand(newCorrectiveListCmd(g), newCorrectiveShowCmd(g), newCorrectiveAddCmd(g), newCorrectiveUpdateCmd(g))
	return cmd
}

func newCorrectiveListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var status, source, owner string
	var incident int64
	var overdue bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the corrective actions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			filter := assay.CorrectiveFilter{Status: assay.CorrectiveStatus(status), Source: assay.CorrectiveSource(source), IncidentID: incident, Overdue: overdue}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if owner == "me" {
				if filter.OwnerID = p.User.ID; filter.OwnerID == 0 {
					return assay.Invalid("owner", "--owner me needs --as: the operator owns no actions.")
				}
			} else if filter.OwnerID, err = userIDByEmail(ctx, p, "owner", owner); err != nil {
				return err
			}
			list, err := m.App.CorrectiveActions(ctx, p, filter)
			if err != nil {
				return err
			}
			views := app.ViewCorrectives(list, m.App.Now())
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"corrective_actions": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tSTATUS\tSOURCE\tOWNER\tDUE")
			for _, v := range views {
				due := v.DueDate.Format("2006-01-02")
				if v.Overdue {
					due += " (overdue)"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Title, v.Status, v.Source, orNone(v.OwnerName), due)
			}
			return tw.Flush()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only actions in this status ("+joinStatuses(assay.CorrectiveStatuses)+")")
	fl.StringVar(&source, "source", "", "only actions from this source ("+joinStatuses(assay.CorrectiveSources)+")")
	fl.StringVar(&owner, "owner", "", "only actions this user owns (email, or \"me\" with --as)")
	fl.Int64Var(&incident, "incident", 0, "only the actions of this incident's review")
	fl.BoolVar(&overdue, "overdue", false, "only open or in-progress actions past their due date")
	f.add(cmd)
	return cmd
}

func newCorrectiveShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one corrective action",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("corrective action", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			c, err := m.App.CorrectiveAction(ctx, p, id)
			if err != nil {
				return err
			}
			v := app.ViewCorrective(c, m.App.Now())
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), v)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Corrective action %d: %s\n", v.ID, v.Title)
			fmt.Fprintf(w, "Action: %s\n", v.Action)
			if v.RootCause != "" {
				fmt.Fprintf(w, "Root cause: %s\n", v.RootCause)
			}
			due := v.DueDate.Format("2006-01-02")
			if v.Overdue {
				due += " (overdue)"
			}
			fmt.Fprintf(w, "Status: %s; owner: %s; due %s\n", v.Status, orNone(v.OwnerName), due)
			fmt.Fprintf(w, "Source: %s %s\n", v.Source, v.SourceRef)
			if v.VerifiedAt != nil {
				fmt.Fprintf(w, "Verified by %s on %s: %s\n", v.VerifiedByName, v.VerifiedAt.Format("2006-01-02"), v.VerificationNotes)
			}
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newCorrectiveAddCmd(g *globals) *cobra.Command {
	var f actingFlags
	var n assay.NewCorrectiveAction
	var source, owner, due string
	cmd := &cobra.Command{
		Use:   "add --title T --action A --due DATE [flags]",
		Short: "Add a corrective action to the register (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			d, err := assay.ParseDate("due", due)
			if err != nil {
				return err
			}
			if d != nil {
				n.DueDate = *d
			}
			n.Source = assay.CorrectiveSource(source)
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if n.OwnerID, err = userIDByEmail(ctx, p, "owner", owner); err != nil {
				return err
			}
			c, err := m.App.CreateCorrectiveAction(ctx, p, n)
			if err != nil {
				return err
			}
			return printCorrective(cmd, m, f, c, "Added")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&n.Title, "title", "", "the non-conformity")
	fl.StringVar(&n.Action, "action", "", "the action that corrects it")
	fl.StringVar(&n.RootCause, "root-cause", "", "its root cause")
	fl.StringVar(&owner, "owner", "", "who owns it (email of an admin or member)")
	fl.StringVar(&due, "due", "", "when it is due (2028-03-31)")
	fl.StringVar(&source, "source", "", "where it was found ("+joinStatuses(assay.CorrectiveSources)+"; default manual)")
	fl.StringVar(&n.SourceRef, "source-ref", "", "a reference to the finding")
	fl.Int64Var(&n.IncidentID, "incident", 0, "the incident it comes from")
	f.add(cmd)
	return cmd
}

func newCorrectiveUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var status, action, rootCause, owner, due, notes string
	cmd := &cobra.Command{
		Use:   "update ID [--status S] [--action A] [--root-cause R] [--owner EMAIL] [--due DATE] [--notes TEXT]",
		Short: "Change a corrective action (members: the status, short of verified, and text of the actions they own)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("corrective action", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if err := m.App.MayUpdateCorrective(ctx, p, id); err != nil {
				return err
			}
			ch := cmd.Flags().Changed
			var patch assay.CorrectivePatch
			if ch("status") {
				st := assay.CorrectiveStatus(strings.ToLower(status))
				patch.Status = &st
			}
			for name, pair := range map[string]struct {
				dst **string
				v   *string
			}{"action": {&patch.Action, &action}, "root-cause": {&patch.RootCause, &rootCause}, "notes": {&patch.VerificationNotes, &notes}} {
				if ch(name) {
					*pair.dst = pair.v
				}
			}
			if ch("owner") {
				oid, err := userIDByEmail(ctx, p, "owner", owner)
				if err != nil {
					return err
				}
				patch.OwnerID = &oid
			}
			if ch("due") {
				if patch.DueDate, err = assay.ParseDate("due", due); err != nil {
					return err
				}
				if patch.DueDate == nil {
					return assay.Invalid("due", "Give a due date.")
				}
			}
			c, err := m.App.UpdateCorrectiveAction(ctx, p, id, patch)
			if err != nil {
				return err
			}
			return printCorrective(cmd, m, f, c, "Updated")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "open, in_progress, done or verified (admins; needs --notes)")
	fl.StringVar(&action, "action", "", "the action's text")
	fl.StringVar(&rootCause, "root-cause", "", "the root cause")
	fl.StringVar(&owner, "owner", "", "hand it to this user (email; admins)")
	fl.StringVar(&due, "due", "", "a new due date (2028-03-31; admins)")
	fl.StringVar(&notes, "notes", "", "how it was shown to be effective (when verifying)")
	f.add(cmd)
	return cmd
}

func printCorrective(cmd *cobra.Command, m *Main, f actingFlags, c assay.CorrectiveAction, verb string) error {
	v := app.ViewCorrective(c, m.App.Now())
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), v)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s corrective action %d: %s (%s, owner %s, due %s)\n", verb, v.ID, v.Title, v.Status, orNone(v.OwnerName), v.DueDate.Format("2006-01-02"))
	return nil
}
