package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newIncidentReviewCmd(g *globals) *cobra.Command {
	var r app.IncidentReview
	var owner, due string
	return actingCommand(g, acting{
		Use:   "review ID --root-cause TEXT --went-well TEXT --improve ITEM... [--owner EMAIL] [--due DATE]",
		Short: "Record a resolved incident's post-incident review: closes it and opens one corrective action per improvement (admins)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"incident"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&r.RootCause, "root-cause", "", "the root cause")
			fl.StringVar(&r.WentWell, "went-well", "", "what went well")
			fl.StringVar(&r.ToImprove, "to-improve", "", "what to improve, one item per line (or give --improve)")
			fl.StringArrayVar(&r.Improvements, "improve", nil, "an improvement, one corrective action each (repeat)")
			fl.StringVar(&owner, "owner", "", "who owns the corrective actions (email; default: the reviewer)")
			fl.StringVar(&due, "due", "", "when they are due (2028-03-31; default: in 30 days)")
		},
		Before: func(c *call) error {
			var err error
			r.DueDate, err = assay.ParseDate("due", due)
			return err
		},
		Run: func(c *call) error {
			var err error
			if r.OwnerID, err = userIDByEmail(c.ctx, c.p, "owner", owner); err != nil {
				return err
			}
			i, actions, err := c.m.App.ReviewIncident(c.ctx, c.p, c.ID(0), r)
			if err != nil {
				return err
			}
			now := c.m.App.Now()
			return c.Out(app.IncidentReviewed{Incident: app.ViewIncident(i, now), CorrectiveActions: app.ViewCorrectives(actions, now)}, func(w io.Writer) error {
				fmt.Fprintf(w, "Reviewed and closed incident %d: %s\n", i.ID, i.Title)
				for _, c := range actions {
					fmt.Fprintf(w, "Opened corrective action %d: %s (owner %s, due %s)\n", c.ID, c.Title, orNone(c.OwnerName), c.DueDate.Format("2006-01-02"))
				}
				return nil
			})
		},
	})
}
