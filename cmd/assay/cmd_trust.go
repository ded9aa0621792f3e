package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
)

// newTrustCmd: the trust center's administration, as on Settings → Trust center.
func newTrustCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "trust", Short: "The public trust center: settings, documents, visitors' requests (admins)"}
	cmd.AddCommand(newTrustShowCmd(g), newTrustRequestsCmd(g), newTrustDecideCmd(g, true), newTrustDecideCmd(g, false))
	return cmd
}

func newTrustShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "show",
		Short: "Show the trust center's settings and documents",
		Args:  cobra.NoArgs,
		Run: func(c *call) error {
			s, err := c.m.App.TrustSettings(c.ctx, c.p)
			if err != nil {
				return err
			}
			docs, err := c.m.App.TrustDocuments(c.ctx, c.p)
			if err != nil {
				return err
			}
			return c.Out(map[string]any{"settings": s, "documents": docs}, func(w io.Writer) error {
				state := "not published"
				if s.Enabled {
					state = "published at /trust"
				}
				fmt.Fprintf(w, "Trust center of %s: %s\nTiles: %v\nSubprocessors: %d, policies: %d, incidents: %d, answers: %d\n",
					orNone(s.CompanyName), state, s.Tiles, len(s.Subprocessors), len(s.Policies), len(s.Incidents), len(s.FAQ))
				for _, d := range docs {
					fmt.Fprintf(w, "Document %d: %s (%s, sha256 %s, NDA %t, shown %t)\n", d.ID, d.Title, d.Filename, d.SHA256, d.NDA, d.Published)
				}
				return nil
			})
		},
	})
}

func newTrustRequestsCmd(g *globals) *cobra.Command {
	var status string
	return actingCommand(g, acting{
		Use:   "requests [--status pending|approved|denied]",
		Short: "List visitors' requests for documents",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) { fl.StringVar(&status, "status", "", "only requests in this status") },
		Run: func(c *call) error {
			list, err := c.m.App.TrustRequests(c.ctx, c.p, assay.TrustRequestStatus(status))
			if err != nil {
				return err
			}
			return c.Out(map[string]any{"requests": list, "count": len(list)}, func(w io.Writer) error {
				for _, r := range list {
					fmt.Fprintf(w, "%d\t%s <%s>, %s\t%s\t%s\t%d downloads\n", r.ID, r.Name, r.Email, r.Company, r.DocumentTitle, r.Status, r.Downloads)
				}
				return nil
			})
		},
	})
}

func newTrustDecideCmd(g *globals, approve bool) *cobra.Command {
	use, short := "approve ID", "Approve a visitor's request: their link downloads for the settings' days"
	if !approve {
		use, short = "deny ID", "Deny a visitor's request"
	}
	return actingCommand(g, acting{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"request"},
		Run: func(c *call) error {
			r, err := c.m.App.DecideTrustRequest(c.ctx, c.p, c.ID(0), approve)
			if err != nil {
				return err
			}
			return c.Out(r, func(w io.Writer) error {
				fmt.Fprintf(w, "Request %d from %s is %s.\n", r.ID, r.Email, r.Status)
				return nil
			})
		},
	})
}
