package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/tabular"
)

func newServiceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "service", Short: "Availability monitoring: services probed from outside, their uptime and SLA"}
	cmd.AddCommand(newServiceAddCmd(g), newServiceListCmd(g), newServiceUptimeCmd(g), newServiceSLACmd(g), newServiceMaintenanceCmd(g))
	return cmd
}

func newServiceAddCmd(g *globals) *cobra.Command {
	var s assay.Service
	var disabled bool
	return actingCommand(g, acting{
		Use:   "add NAME KIND TARGET",
		Short: "Add a service to probe (kind http, tcp, tls or dns; target a URL, host:port or a name)",
		Example: `  assay service add "Customer API" http https://api.example.com/health --expect-status 200 --keyword ok --sla 99.95
  assay service add Database tcp db.internal:5432 --interval 30 --retries 1`,
		Args: cobra.ExactArgs(3),
		Flags: func(fl *pflag.FlagSet) {
			fl.IntVar(&s.IntervalSecs, "interval", 60, "seconds between probes (at least 10)")
			fl.IntVar(&s.TimeoutSecs, "timeout", 10, "seconds a probe may take")
			fl.IntVar(&s.Retries, "retries", assay.DefaultProbeRetries, "failed probes in a row, beyond the first, before the service is down")
			fl.IntVar(&s.IncidentAfterS, "incident-after", 300, "seconds of downtime that open an incident and alert")
			fl.Float64Var(&s.SLATarget, "sla", assay.DefaultSLATarget, "SLA target, percent a month")
			fl.IntVar(&s.ExpectStatus, "expect-status", 0, "http: the status expected (0: any 2xx or 3xx)")
			fl.StringVar(&s.Keyword, "keyword", "", "http: text the body must contain")
			fl.IntVar(&s.LatencyMillis, "latency-ms", 0, "http: an answer slower than this is down")
			fl.BoolVar(&s.Public, "public", false, "show it on a public status page")
			fl.BoolVar(&disabled, "paused", false, "add it without probing it yet")
			fl.StringVar(&s.Description, "description", "", "what the service is")
		},
		Run: func(c *call) error {
			svc := s
			svc.Name, svc.Kind, svc.Target, svc.Enabled = c.args[0], assay.ProbeKind(c.args[1]), c.args[2], !disabled
			out, err := c.m.App.CreateService(c.ctx, c.p, svc)
			if err != nil {
				return err
			}
			return c.Line(out, "Service %d added: %s (%s %s, every %d s, SLA %g%%).", out.ID, out.Name, out.Kind, out.Target, out.IntervalSecs, out.SLATarget)
		},
	})
}

func pct(p float64) string {
	if p < 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f%%", p)
}

func newServiceListCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "list",
		Short: "List the services with their state, uptime over 24 hours and 30 days, and this month's SLA",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			list, err := c.m.App.Services(c.ctx, c.p, 0)
			if err != nil {
				return err
			}
			return c.List("services", list, len(list), func(w io.Writer) error {
				return table(w, "ID\tNAME\tKIND\tTARGET\tSTATE\t24H\t30D\tSLA MONTH\tTARGET\tBUDGET LEFT", func(tw io.Writer) {
					for _, s := range list {
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%g%%\t%s\n", s.ID, s.Name, s.Kind, s.Target, s.State, pct(s.Uptime24h), pct(s.Uptime30d),
							pct(s.SLA.Percent), s.SLA.Target, s.SLA.BudgetLeft.Round(time.Second))
					}
				})
			})
		},
	})
}

func newServiceUptimeCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "uptime ID",
		Short: "A service's uptime over 24 hours, 7, 30 and 90 days and a year",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"service"},
		Run: func(c *call) error {
			d, err := c.m.App.Service(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			out := struct {
				availability.Figures
				Locations []app.LocationSummary `json:"locations"`
			}{d.Figures, d.Locations}
			return c.Out(out, func(w io.Writer) error {
				fmt.Fprintf(w, "%s (%s %s): %s\n", d.Service.Name, d.Service.Kind, d.Service.Target, d.Service.State)
				err := table(w, "WINDOW\tUPTIME\tDOWN\tMAINTENANCE\tUNKNOWN", func(tw io.Writer) {
					for _, u := range d.Windows {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, pct(u.Percent), u.Down.Round(time.Second), u.Maintenance.Round(time.Second), u.Unknown.Round(time.Second))
					}
				})
				if err != nil || len(d.Locations) == 0 {
					return err
				}
				fmt.Fprintln(w)
				return table(w, "LOCATION\tLAST RESULT\tREACHED 24H\tP95 24H\tERROR", func(tw io.Writer) {
					for _, l := range d.Locations {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%d ms\t%s\n", l.Location, l.LastOutcome, pct(l.UpPercent24h), l.P95ms24h, l.LastError)
					}
				})
			})
		},
	})
}

func newServiceSLACmd(g *globals) *cobra.Command {
	var month string
	var csv bool
	return actingCommand(g, acting{
		Use:   "sla ID",
		Short: "A service's monthly SLA report: uptime against the target, error budget, downtimes and maintenance",
		Example: `  assay service sla 1 --month 2026-03
  assay service sla 1 --month 2026-03 --csv > sla.csv`,
		Args: cobra.ExactArgs(1),
		IDs:  []string{"service"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&month, "month", "", "the month, YYYY-MM (default this month), in the server's time zone (TZ)")
			fl.BoolVar(&csv, "csv", false, "write the report as CSV")
		},
		Run: func(c *call) error {
			r, err := c.m.App.SLAReport(c.ctx, c.p, c.ID(0), month)
			if err != nil {
				return err
			}
			if csv {
				return tabular.WriteCSV(c.w, app.SLAReportRows(r))
			}
			return c.Out(r, func(w io.Writer) error {
				met := "met"
				if !r.Met {
					met = "MISSED"
				}
				fmt.Fprintf(w, "%s, %s: uptime %s against %g%% (%s); down %s; budget %s, %s left; maintenance %s; unknown %s\n",
					r.Service.Name, r.Month, pct(r.Percent), r.Target, met, r.Down.Round(time.Second), r.Budget.Round(time.Second),
					r.BudgetLeft.Round(time.Second), r.Uptime.Maintenance.Round(time.Second), r.Unknown.Round(time.Second))
				if len(r.Downtimes) > 0 {
					fmt.Fprintln(w, "\nDowntimes:")
					if err := table(w, "START\tEND\tDURATION\tINCIDENT\tERROR", func(tw io.Writer) {
						for _, d := range r.Downtimes {
							fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339), d.Duration.Round(time.Second), d.IncidentID, d.Error)
						}
					}); err != nil {
						return err
					}
				}
				if len(r.Maintenance) > 0 {
					fmt.Fprintln(w, "\nMaintenance (not downtime):")
					return table(w, "START\tEND\tREASON", func(tw io.Writer) {
						for _, m := range r.Maintenance {
							fmt.Fprintf(tw, "%s\t%s\t%s\n", m.StartsAt.Format(time.RFC3339), m.EndsAt.Format(time.RFC3339), m.Reason)
						}
					})
				}
				return nil
			})
		},
	})
}

func newServiceMaintenanceCmd(g *globals) *cobra.Command {
	var from, to, reason string
	var start, end time.Time
	return actingCommand(g, acting{
		Use:     "maintenance ID",
		Short:   "Plan a maintenance window for a service (in advance; it is not counted as downtime)",
		Example: `  assay service maintenance 1 --from 2026-03-10T22:00:00Z --to 2026-03-10T23:30:00Z --reason "Database upgrade"`,
		Args:    cobra.ExactArgs(1),
		IDs:     []string{"service"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&from, "from", "", "when it starts (RFC 3339)")
			fl.StringVar(&to, "to", "", "when it ends (RFC 3339)")
			fl.StringVar(&reason, "reason", "", "why")
		},
		Before: func(c *call) error {
			var err error
			if start, err = time.Parse(time.RFC3339, from); err != nil {
				return fmt.Errorf("--from %q: give an RFC 3339 time, such as 2026-03-10T22:00:00Z", from)
			}
			if end, err = time.Parse(time.RFC3339, to); err != nil {
				return fmt.Errorf("--to %q: give an RFC 3339 time, such as 2026-03-10T23:30:00Z", to)
			}
			return nil
		},
		Run: func(c *call) error {
			m, err := c.m.App.CreateMaintenance(c.ctx, c.p, assay.MaintenanceWindow{ServiceID: c.ID(0), StartsAt: start, EndsAt: end, Reason: reason})
			if err != nil {
				return err
			}
			return c.Line(m, "Maintenance %d planned for service %d: %s to %s.", m.ID, m.ServiceID, m.StartsAt.Format(time.RFC3339), m.EndsAt.Format(time.RFC3339))
		},
	})
}
