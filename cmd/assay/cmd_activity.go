package main

import (
	"fmt"
	"net/url"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/input"
)

// newActivityCmd prints the audit trail, as the web's activity page.
func newActivityCmd(g *globals) *cobra.Command {
	var af assay.ActivityFilter
	var from, to string
	return actingCommand(g, acting{
		Use:   "activity [--limit N] [--type T] [--object ID] [--actor TEXT] [--action A] [--q TEXT] [--from DATE] [--to DATE] [--before SEQ]",
		Short: "The audit trail, newest first (admins, auditors, members)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.IntVar(&af.Limit, "limit", 50, fmt.Sprintf("at most this many entries (1-%d)", app.MaxActivity))
			fl.StringVar(&af.ObjectType, "type", "", "only entries about this kind of object (control, evidence, risk, ...)")
			fl.StringVar(&af.ObjectID, "object", "", "only entries about this object id (with --type)")
			fl.Int64Var(&af.BeforeSeq, "before", 0, "only entries older than this one (to page back)")
			fl.StringVar(&af.Actor, "actor", "", "only entries by someone whose name holds this text (any case)")
			fl.StringVar(&af.Action, "action", "", "only this action (control.update), or every action of an area (control.)")
			fl.StringVar(&af.Query, "q", "", "only entries whose summary holds this text (any case)")
			fl.StringVar(&from, "from", "", "only entries on or after this day (YYYY-MM-DD)")
			fl.StringVar(&to, "to", "", "only entries on or before this day (YYYY-MM-DD)")
		},
		Before: func(*call) error {
			if af.Limit < 1 || af.Limit > app.MaxActivity {
				return assay.Invalid("limit", "--limit must be between 1 and %d.", app.MaxActivity)
			}
			parsed, err := input.ActivityFilter(url.Values{"from": {from}, "to": {to}, "actor": {af.Actor}, "action": {af.Action}, "q": {af.Query}})
			if err != nil {
				return err
			}
			af.From, af.To = parsed.From, parsed.To
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
