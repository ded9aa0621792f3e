package main

import (
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newDigestCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "digest", Short: "Reminder e-mails: preview a person's digest, send now, show or set the organisation's defaults"}
	cmd.AddCommand(newDigestPreviewCmd(g), newDigestSendCmd(g), newDigestSettingsCmd(g), newDigestSetCmd(g))
	return cmd
}

func newDigestPreviewCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "preview EMAIL",
		Short: "Print the reminder digest this user would be sent now (nothing is sent)",
		Args:  cobra.ExactArgs(1),
		Run: func(c *call) error {
			svc, err := alertServices(c.m) // absolute links when the server's public address is set
			if err != nil {
				return err
			}
			d, err := svc.PreviewDigest(c.ctx, c.p, c.args[0])
			if err != nil {
				return err
			}
			return c.Out(d, func(w io.Writer) error {
				_, err := io.WriteString(w, app.DigestText(d))
				return err
			})
		},
	})
}

func newDigestSendCmd(g *globals) *cobra.Command {
	var to string
	return actingCommand(g, acting{
		Use: "send [--to EMAIL]",
		Short: "Send the reminder digests now, without waiting for the hour or weekday (at most once a day per person; " +
			"the server sends on schedule by itself)",
		Long: "Send the reminder digests now. The global --now flag sets the clock (demos and tests), so this command\n" +
			"sends immediately without a flag of its own.",
		Args: cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&to, "to", "", "only this user's digest")
		},
		Run: func(c *call) error {
			svc, err := alertServices(c.m)
			if err != nil {
				return err
			}
			run, err := svc.SendDigestsNow(c.ctx, c.p, to)
			if perr := c.Line(run, "Digests sent: %d; nothing due: %d; skipped: %d; failed: %d.", run.Sent, run.Empty, run.Skipped, run.Failed); perr != nil {
				return perr
			}
			return err
		},
	})
}

func printDigestSettings(c *call, s assay.DigestSettings, verb string) error {
	tz := s.Timezone
	if tz == "" {
		tz = "UTC"
	}
	when := s.Frequency
	if s.Frequency == assay.DigestWeekly {
		when += " on " + s.Weekday.String()
	}
	out := "none"
	if len(s.OptOut) > 0 {
		out = strings.Join(s.OptOut, ", ")
	}
	return c.Line(s, "%sReminder digests: %s at %02d:00 %s; kinds left out: %s.", verb, when, s.Hour, tz, out)
}

func newDigestSettingsCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "settings",
		Short: "Show the organisation's reminder defaults",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			s, err := c.m.App.DigestSettings(c.ctx, c.p)
			if err != nil {
				return err
			}
			return printDigestSettings(c, s, "")
		},
	})
}

func newDigestSetCmd(g *globals) *cobra.Command {
	var frequency, weekday, timezone string
	var hour int
	var optOut []string
	return actingCommand(g, acting{
		Use:     "set [--frequency daily|weekly|off] [--weekday monday] [--hour 8] [--timezone America/New_York] [--opt-out kind,...]",
		Short:   "Set the organisation's reminder defaults (admins); flags not given keep their value",
		Args:    cobra.NoArgs,
		Example: "  assay digest set --frequency weekly --weekday monday --hour 8 --timezone Europe/Berlin --opt-out risk_reviews",
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&frequency, "frequency", "", "daily, weekly or off")
			fl.StringVar(&weekday, "weekday", "", "the weekly digest's day (monday ... sunday)")
			fl.IntVar(&hour, "hour", -1, "local hour, 0 to 23")
			fl.StringVar(&timezone, "timezone", "", `IANA time zone ("UTC" for UTC)`)
			fl.StringSliceVar(&optOut, "opt-out", nil, "kinds left out by default ("+strings.Join(assay.DigestKinds, ", ")+`; "none" for none)`)
		},
		Run: func(c *call) error {
			s, err := c.m.App.DigestSettings(c.ctx, c.p)
			if err != nil {
				return err
			}
			fl := c.cmd.Flags()
			if fl.Changed("frequency") {
				s.Frequency = frequency
			}
			if fl.Changed("weekday") {
				w, ok := parseWeekday(weekday)
				if !ok {
					return assay.Invalid("weekday", "--weekday %q: give a day such as monday.", weekday)
				}
				s.Weekday = w
			}
			if fl.Changed("hour") {
				s.Hour = hour
			}
			if fl.Changed("timezone") {
				s.Timezone = timezone
			}
			if fl.Changed("opt-out") {
				s.OptOut = optOut
				if len(optOut) == 1 && optOut[0] == "none" {
					s.OptOut = []string{}
				}
			}
			if s, err = c.m.App.UpdateDigestSettings(c.ctx, c.p, s); err != nil {
				return err
			}
			return printDigestSettings(c, s, "Saved. ")
		},
	})
}

func parseWeekday(s string) (time.Weekday, bool) {
	for w := time.Sunday; w <= time.Saturday; w++ {
		if strings.EqualFold(s, w.String()) || strings.EqualFold(s, w.String()[:3]) {
			return w, true
		}
	}
	return 0, false
}
