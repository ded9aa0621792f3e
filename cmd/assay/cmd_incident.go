package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newIncidentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "incident", Short: "Incidents: list, show, report, update (triage, contain, resolve), owner, note, notice, review"}
	cmd.AddCommand(newIncidentListCmd(g), newIncidentShowCmd(g), newIncidentReportCmd(g), newIncidentUpdateCmd(g),
		newIncidentNoteCmd(g), newIncidentNoticeCmd(g), newIncidentReviewCmd(g), newIncidentOwnerCmd(g))
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
	var status, severity, exercise string
	var filter assay.IncidentFilter
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the incidents with their notice warnings",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&status, "status", "", "only incidents in this status ("+joinStatuses(assay.IncidentStatuses)+")")
			fl.StringVar(&severity, "severity", "", "only incidents of this severity (SEV1 to SEV4)")
			fl.StringVar(&exercise, "exercise", "", "true: only exercises; false: only real incidents")
		},
		Before: func(c *call) error {
			filter = assay.IncidentFilter{Status: assay.IncidentStatus(status), Severity: assay.Severity(strings.ToUpper(severity))}
			if exercise != "" {
				b, err := strconv.ParseBool(exercise)
				if err != nil {
					return assay.Invalid("exercise", "--exercise must be true or false.")
				}
				filter.Exercise = &b
			}
			return nil
		},
		Run: func(c *call) error {
			list, err := c.m.App.Incidents(c.ctx, c.p, filter)
			if err != nil {
				return err
			}
			views := app.ViewIncidents(list, c.m.App.Now())
			return c.List("incidents", views, len(views), func(w io.Writer) error {
				return table(w, "ID\tTITLE\tSTATUS\tSEVERITY\tDETECTED\tWARNINGS", func(tw io.Writer) {
					for _, v := range views {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Title, v.Status, orNone(string(v.Severity)),
							v.DetectedAt.Format("2006-01-02 15:04"), strings.Join(v.Warnings, " "))
					}
				})
			})
		},
	})
}

func joinStatuses[S ~string](list []S) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}

func newIncidentShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show ID",
		Short: "Show an incident with its timeline and corrective actions",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"incident"},
		Run: func(c *call) error {
			d, err := c.m.App.IncidentDetail(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Out(d, func(w io.Writer) error {
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
			})
		},
	})
}

func newIncidentReportCmd(g *globals) *cobra.Command {
	var n assay.NewIncident
	var occurred, detected string
	return actingCommand(g, acting{
		Use:   "report --title T [--detected AT] [--occurred AT] [flags]",
		Short: "Report an incident (or an exercise of the incident process)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&n.Title, "title", "", "what happened, in a line")
			fl.StringVar(&n.Description, "description", "", "more detail")
			fl.StringVar(&detected, "detected", "", "when it was detected (2028-02-29T23:30, UTC; default now)")
			fl.StringVar(&occurred, "occurred", "", "when it occurred (default: when it was detected)")
			fl.BoolVar(&n.Exercise, "exercise", false, "an exercise of the incident process (a tabletop test)")
			fl.BoolVar(&n.PersonalData, "personal-data", false, "personal data is involved (the regulator must be told within 72 hours)")
			fl.BoolVar(&n.CustomerData, "customer-data", false, "customer data is involved (customers must be told)")
			fl.IntVar(&n.CustomerNoticeHours, "customer-notice-hours", 0, "the customer notice commitment in hours (default 72)")
		},
		Before: func(c *call) error {
			var err error
			if n.DetectedAt, err = incidentTime("detected", detected); err != nil {
				return err
			}
			n.OccurredAt, err = incidentTime("occurred", occurred)
			return err
		},
		Run: func(c *call) error {
			if n.DetectedAt.IsZero() {
				n.DetectedAt = c.m.App.Now()
			}
			if n.OccurredAt.IsZero() {
				n.OccurredAt = n.DetectedAt
			}
			i, err := c.m.App.ReportIncident(c.ctx, c.p, n)
			if err != nil {
				return err
			}
			return printIncident(c, i, "Reported")
		},
	})
}

func newIncidentUpdateCmd(g *globals) *cobra.Command {
	var mv assay.IncidentMove
	var status, severity, at string
	return actingCommand(g, acting{
		Use:   "update ID --status triaged|contained|resolved [--severity SEV2] [--at AT] [--note TEXT]",
		Short: "Move an incident on: triage it (with a severity), contain it, resolve it (admins)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"incident"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&status, "status", "", "triaged, contained or resolved (a review closes it)")
			fl.StringVar(&severity, "severity", "", "SEV1 to SEV4 (needed to triage)")
			fl.StringVar(&at, "at", "", "when it happened (default now)")
			fl.StringVar(&mv.Note, "note", "", "a note for the timeline")
		},
		Before: func(c *call) error {
			mv.Status, mv.Severity = assay.IncidentStatus(strings.ToLower(status)), assay.Severity(strings.ToUpper(severity))
			var err error
			mv.At, err = incidentTime("at", at)
			return err
		},
		Run: func(c *call) error {
			i, err := c.m.App.MoveIncident(c.ctx, c.p, c.ID(0), mv)
			if err != nil {
				return err
			}
			return printIncident(c, i, "Updated")
		},
	})
}

func newIncidentNoteCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "note ID TEXT...",
		Short: "Add a note to an incident's timeline (admins and members)",
		Args:  cobra.MinimumNArgs(2),
		IDs:   []string{"incident"},
		Run: func(c *call) error {
			id := c.ID(0)
			e, err := c.m.App.AddIncidentNote(c.ctx, c.p, id, strings.Join(c.args[1:], " "))
			if err != nil {
				return err
			}
			return c.Line(e, "Added to incident %d's timeline at %s.", id, e.At.Format(time.RFC3339))
		},
	})
}

func newIncidentNoticeCmd(g *globals) *cobra.Command {
	var to, at string
	var when time.Time
	return actingCommand(g, acting{
		Use:   "notice ID --to customer|regulator [--at AT]",
		Short: "Record when customers or the regulator were told (admins)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"incident"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&to, "to", "", "customer or regulator")
			fl.StringVar(&at, "at", "", "when they were told (default now)")
		},
		Before: func(c *call) error {
			var err error
			when, err = incidentTime("at", at)
			return err
		},
		Run: func(c *call) error {
			i, err := c.m.App.RecordIncidentNotice(c.ctx, c.p, c.ID(0), to, when)
			if err != nil {
				return err
			}
			return printIncident(c, i, "Notice recorded for")
		},
	})
}

func printIncident(c *call, i assay.Incident, verb string) error {
	v := app.ViewIncident(i, c.m.App.Now())
	return c.Out(v, func(w io.Writer) error {
		fmt.Fprintf(w, "%s incident %d: %s (%s)\n", verb, v.ID, v.Title, v.Status)
		if v.OwnerName != "" {
			fmt.Fprintf(w, "Owner: %s\n", v.OwnerName)
		}
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
	})
}
