package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newIncidentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "incident", Short: "Incidents: list, show, report, update (triage, contain, resolve), note, notice, review"}
	cmd.AddCommand(newIncidentListCmd(g), newIncidentShowCmd(g), newIncidentReportCmd(g), newIncidentUpdateCmd(g),
		newIncidentNoteCmd(g), newIncidentNoticeCmd(g), newIncidentReviewCmd(g))
	return cmd
}

// incidentTime reads a time flag: RFC 3339, or "2028-02-29T23:30" (UTC);
// "" is the zero time.
func incidentTime(flag, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, assay.Invalid(flag, "--%s must be a time like 2028-02-29T23:30 (UTC) or RFC 3339.", flag)
}

func newIncidentListCmd(g *globals) *cobra.Command {
	var f actingFlags
	var status, severity, exercise string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the incidents with their notice warnings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			filter := assay.IncidentFilter{Status: assay.IncidentStatus(status), Severity: assay.Severity(strings.ToUpper(severity))}
			if exercise != "" {
				b, err := strconv.ParseBool(exercise)
				if err != nil {
					return assay.Invalid("exercise", "--exercise must be true or false.")
				}
				filter.Exercise = &b
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			list, err := m.App.Incidents(ctx, p, filter)
			if err != nil {
				return err
			}
			views := app.ViewIncidents(list, m.App.Now())
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), map[string]any{"incidents": views, "count": len(views)})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tSTATUS\tSEVERITY\tDETECTED\tWARNINGS")
			for _, v := range views {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Title, v.Status, orNone(string(v.Severity)),
					v.DetectedAt.Format("2006-01-02 15:04"), strings.Join(v.Warnings, " "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only incidents in this status ("+joinStatuses(assay.IncidentStatuses)+")")
	cmd.Flags().StringVar(&severity, "severity", "", "only incidents of this severity (SEV1 to SEV4)")
	cmd.Flags().StringVar(&exercise, "exercise", "", "true: only exercises; false: only real incidents")
	f.add(cmd)
	return cmd
}

func joinStatuses[S ~string](list []S) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

func newIncidentShowCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an incident with its timeline and corrective actions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("incident", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			d, err := m.App.IncidentDetail(ctx, p, id)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), d)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Incident %d: %s (%s, %s)\n", d.ID, d.Title, d.Status, orNone(string(d.Severity)))
			if d.Description != "" {
				fmt.Fprintln(w, d.Description)
			}
			fmt.Fprintf(w, "Occurred %s; detected %s; reported by %s\n", d.OccurredAt.Format(time.RFC3339), d.DetectedAt.Format(time.RFC3339), orNone(d.ReportedByName))
			if d.CustomerNoticeDue != nil {
				fmt.Fprintf(w, "Customer notice due %s\n", d.CustomerNoticeDue.Format(time.RFC3339))
			}
			if d.RegulatorNoticeDue != nil {
				fmt.Fprintf(w, "Regulator notice due %s\n", d.RegulatorNoticeDue.Format(time.RFC3339))
			}
			for _, warn := range d.Warnings {
				fmt.Fprintln(w, "Warning: "+warn)
			}
			for _, e := range d.Timeline {
				fmt.Fprintf(w, "  %s  %-6s  %s (%s)\n", e.At.Format("2006-01-02 15:04"), e.Kind, e.Text, e.AuthorName)
			}
			for _, c := range d.CorrectiveActions {
				fmt.Fprintf(w, "  Corrective action %d: %s (%s, due %s)\n", c.ID, c.Title, c.Status, c.DueDate.Format("2006-01-02"))
			}
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newIncidentReportCmd(g *globals) *cobra.Command {
	var f actingFlags
	var n assay.NewIncident
	var occurred, detected string
	cmd := &cobra.Command{
		Use:   "report --title T [--detected AT] [--occurred AT] [flags]",
		Short: "Report an incident (or an exercise of the incident process)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var err error
			if n.DetectedAt, err = incidentTime("detected", detected); err != nil {
				return err
			}
			if n.OccurredAt, err = incidentTime("occurred", occurred); err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if n.DetectedAt.IsZero() {
				n.DetectedAt = m.App.Now()
			}
			if n.OccurredAt.IsZero() {
				n.OccurredAt = n.DetectedAt
			}
			i, err := m.App.ReportIncident(ctx, p, n)
			if err != nil {
				return err
			}
			return printIncident(cmd, m, f, i, "Reported")
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&n.Title, "title", "", "what happened, in a line")
	fl.StringVar(&n.Description, "description", "", "more detail")
	fl.StringVar(&detected, "detected", "", "when it was detected (2028-02-29T23:30, UTC; default now)")
	fl.StringVar(&occurred, "occurred", "", "when it occurred (default: when it was detected)")
	fl.BoolVar(&n.Exercise, "exercise", false, "an exercise of the incident process (a tabletop test)")
	fl.BoolVar(&n.PersonalData, "personal-data", false, "personal data is involved (the regulator must be told within 72 hours)")
	fl.BoolVar(&n.CustomerData, "customer-data", false, "customer data is involved (customers must be told)")
	fl.IntVar(&n.CustomerNoticeHours, "customer-notice-hours", 0, "the customer notice commitment in hours (default 72)")
	f.add(cmd)
	return cmd
}

func newIncidentUpdateCmd(g *globals) *cobra.Command {
	var f actingFlags
	var mv assay.IncidentMove
	var status, severity, at string
	cmd := &cobra.Command{
		Use:   "update ID --status triaged|contained|resolved [--severity SEV2] [--at AT] [--note TEXT]",
		Short: "Move an incident on: triage it (with a severity), contain it, resolve it (admins)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("incident", args[0])
			if err != nil {
				return err
			}
			mv.Status, mv.Severity = assay.IncidentStatus(strings.ToLower(status)), assay.Severity(strings.ToUpper(severity))
			if mv.At, err = incidentTime("at", at); err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			i, err := m.App.MoveIncident(ctx, p, id, mv)
			if err != nil {
				return err
			}
			return printIncident(cmd, m, f, i, "Updated")
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "triaged, contained or resolved (a review closes it)")
	cmd.Flags().StringVar(&severity, "severity", "", "SEV1 to SEV4 (needed to triage)")
	cmd.Flags().StringVar(&at, "at", "", "when it happened (default now)")
	cmd.Flags().StringVar(&mv.Note, "note", "", "a note for the timeline")
	f.add(cmd)
	return cmd
}

func newIncidentNoteCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "note ID TEXT...",
		Short: "Add a note to an incident's timeline (admins and members)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("incident", args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			e, err := m.App.AddIncidentNote(ctx, p, id, strings.Join(args[1:], " "))
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), e)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Added to incident %d's timeline at %s.\n", id, e.At.Format(time.RFC3339))
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newIncidentNoticeCmd(g *globals) *cobra.Command {
	var f actingFlags
	var to, at string
	cmd := &cobra.Command{
		Use:   "notice ID --to customer|regulator [--at AT]",
		Short: "Record when customers or the regulator were told (admins)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("incident", args[0])
			if err != nil {
				return err
			}
			when, err := incidentTime("at", at)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			i, err := m.App.RecordIncidentNotice(ctx, p, id, to, when)
			if err != nil {
				return err
			}
			return printIncident(cmd, m, f, i, "Notice recorded for")
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "customer or regulator")
	cmd.Flags().StringVar(&at, "at", "", "when they were told (default now)")
	f.add(cmd)
	return cmd
}

func printIncident(cmd *cobra.Command, m *Main, f actingFlags, i assay.Incident, verb string) error {
	v := app.ViewIncident(i, m.App.Now())
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), v)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s incident %d: %s (%s)\n", verb, v.ID, v.Title, v.Status)
	if v.CustomerNoticeDue != nil && v.CustomerNotifiedAt == nil {
		fmt.Fprintf(w, "Customer notice due %s\n", v.CustomerNoticeDue.Format(time.RFC3339))
	}
	if v.RegulatorNoticeDue != nil && v.RegulatorNotifiedAt == nil {
		fmt.Fprintf(w, "Regulator notice due %s\n", v.RegulatorNoticeDue.Format(time.RFC3339))
	}
	for _, warn := range v.Warnings {
		fmt.Fprintln(w, "Warning: "+warn)
	}
	return nil
}
