package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// newActivityCmd prints the audit trail, as the web's activity page.
func newActivityCmd(g *globals) *cobra.Command {
	var af assay.ActivityFilter
	return actingCommand(g, acting{
		Use:   "activity [--limit N] [--type T] [--object ID] [--before SEQ]",
		Short: "The audit trail, newest first (admins, auditors, members)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.IntVar(&af.Limit, "limit", 50, fmt.Sprintf("at most this many entries (1-%d)", app.MaxActivity))
			fl.StringVar(&af.ObjectType, "type", "", "only entries about this kind of object (control, evidence, risk, ...)")
			fl.StringVar(&af.ObjectID, "object", "", "only entries about this object id (with --type)")
			fl.Int64Var(&af.BeforeSeq, "before", 0, "only entries older than this one (to page back)")
		},
		Before: func(*call) error {
			if af.Limit < 1 || af.Limit > app.MaxActivity {
				return assay.Invalid("limit", "--limit must be between 1 and %d.", app.MaxActivity)
			}
			return nil
		},
		Run: func(c *call) error {
			entries, err := c.m.App.Activity(c.ctx, c.p, af)
			if err != nil {
				return err
			}
			if c.json {
				return printJSON(c.w, map[string]any{"activity": entries})
			}
			if len(entries) == 0 {
				fmt.Fprintln(c.w, "No activity.")
				return nil
			}
			tw := tabwriter.NewWriter(c.w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SEQ\tAT\tWHO\tVIA\tACTION\tOBJECT\tSUMMARY")
			for _, e := range entries {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s %s\t%s\n", e.Seq, e.At.UTC().Format("2006-01-02 15:04"), e.Actor.Name, e.Actor.Via, e.Action,
					e.ObjectType, e.ObjectID, e.Summary)
			}
			return tw.Flush()
		},
	})
}
