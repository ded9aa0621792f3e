package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newUpcomingCmd lists what is overdue and what falls due, through the
// service the Upcoming page and GET /api/v1/upcoming call.
func newUpcomingCmd(g *globals) *cobra.Command {
	var days int
	return actingCommand(g, acting{
		Use:   "upcoming [--days N]",
		Short: "List overdue obligations and those due within N days (policy, training, offboarding, access, vendor and risk reviews)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.IntVar(&days, "days", assay.UpcomingDays, fmt.Sprintf("how many days ahead to look (1 to %d)", app.MaxUpcomingDays))
		},
		Before: func(*call) error { return app.CheckUpcomingDays(days) },
		Run: func(c *call) error {
			list, err := c.m.App.Upcoming(c.ctx, c.p, days)
			if err != nil {
				return err
			}
			return c.Out(list, func(w io.Writer) error {
				if len(list.Overdue)+len(list.Upcoming) == 0 {
					_, err := fmt.Fprintf(w, "Nothing overdue or due within %d days (as of %s).\n", list.Days, list.AsOf.Format("2006-01-02"))
					return err
				}
				return table(w, "STATE\tDUE\tKIND\tTITLE\tLINK", func(tw io.Writer) {
					for _, o := range list.Overdue {
						fmt.Fprintf(tw, "overdue\t%s\t%s\t%s\t%s\n", o.Due.Format("2006-01-02"), o.Kind, o.Title, o.Link)
					}
					for _, o := range list.Upcoming {
						fmt.Fprintf(tw, "due\t%s\t%s\t%s\t%s\n", o.Due.Format("2006-01-02"), o.Kind, o.Title, o.Link)
					}
				})
			})
		},
	})
}
