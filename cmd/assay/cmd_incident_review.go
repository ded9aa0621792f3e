package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func newIncidentReviewCmd(g *globals) *cobra.Command {
	var f actingFlags
	var r app.IncidentReview
	var owner, due string
	cmd := &cobra.Command{
		Use:   "review ID --root-cause TEXT --went-well TEXT --improve ITEM... [--owner EMAIL] [--due DATE]",
		Short: "Record a resolved incident's post-incident review: closes it and opens one corrective action per improvement (admins)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := recordID("incident", args[0])
			if err != nil {
				return err
			}
			if r.DueDate, err = assay.ParseDate("due", due); err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			if r.OwnerID, err = userIDByEmail(ctx, p, "owner", owner); err != nil {
				return err
			}
			i, actions, err := m.App.ReviewIncident(ctx, p, id, r)
			if err != nil {
				return err
			}
			now := m.App.Now()
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), app.IncidentReviewed{Incident: app.ViewIncident(i, now), CorrectiveActions: app.ViewCorrectives(actions, now)})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "Reviewed and closed incident %d: %s\n", i.ID, i.Title)
			for _, c := range actions {
				fmt.Fprintf(w, "Opened corrective action %d: %s (owner %s, due %s)\n", c.ID, c.Title, orNone(c.OwnerName), c.DueDate.Format("2006-01-02"))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&r.RootCause, "root-cause", "", "the root cause")
	fl.StringVar(&r.WentWell, "went-well", "", "what went well")
	fl.StringVar(&r.ToImprove, "to-improve", "", "what to improve, one item per line (or give --improve)")
	fl.StringArrayVar(&r.Improvements, "improve", nil, "an improvement, one corrective action each (repeat)")
	fl.StringVar(&owner, "owner", "", "who owns the corrective actions (email; default: the reviewer)")
	fl.StringVar(&due, "due", "", "when they are due (2028-03-31; default: in 30 days)")
	f.add(cmd)
	return cmd
}
