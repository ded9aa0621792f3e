package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newCalendarCmd manages calendar feeds (the Upcoming list as iCalendar
// at a secret address), through the services the Upcoming page calls.
func newCalendarCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "Calendar feeds of what falls due: create (prints the address once), list, revoke"}
	cmd.AddCommand(newCalendarCreateCmd(g), newCalendarListCmd(g), newCalendarRevokeCmd(g))
	return cmd
}

func newCalendarCreateCmd(g *globals) *cobra.Command {
	var publicURL string
	return actingCommand(g, acting{
		Use:     "create --as EMAIL [--public-url URL]",
		Short:   "Create a calendar feed for a user and print its secret address once",
		Example: "  assay calendar create --as you@example.com --public-url https://assay.example.com",
		Args:    cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&publicURL, "public-url", os.Getenv("ASSAY_PUBLIC_URL"), "URL people use to reach Assay, to print the whole address (env ASSAY_PUBLIC_URL); without it, the path")
		},
		Run: func(c *call) error {
			feed, err := c.m.App.CreateCalendarFeed(c.ctx, c.p)
			if err != nil {
				return err
			}
			addr := strings.TrimRight(publicURL, "/") + feed.Path
			doc := map[string]any{"feed": feed.Feed, "url": addr}
			return c.Out(doc, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "Calendar feed %d created. Subscribe to this address now: it is not shown again.\n%s\n", feed.Feed.ID, addr)
				return err
			})
		},
	})
}

func newCalendarListCmd(g *globals) *cobra.Command {
	var all bool
	return actingCommand(g, acting{
		Use:   "list [--all]",
		Short: "List active calendar feeds (never their secrets): with --as your own, with --all (admins) everyone's",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.BoolVar(&all, "all", false, "everyone's feeds (admins; the operator always sees everyone's)")
		},
		Run: func(c *call) error {
			feeds, err := c.m.App.CalendarFeeds(c.ctx, c.p, all)
			if err != nil {
				return err
			}
			return c.List("feeds", feeds, len(feeds), func(w io.Writer) error {
				return table(w, "ID\tUSER ID\tPREFIX\tCREATED", func(tw io.Writer) {
					for _, t := range feeds {
						fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", t.ID, t.UserID, t.Prefix, t.CreatedAt.Format("2006-01-02 15:04"))
					}
				})
			})
		},
	})
}

func newCalendarRevokeCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "revoke ID",
		Short: "Revoke a calendar feed (with --as, your own; admins any)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"calendar feed"},
		Run: func(c *call) error {
			if err := c.m.App.RevokeCalendarFeed(c.ctx, c.p, c.ID(0)); err != nil {
				return err
			}
			return c.Line(map[string]any{"id": c.ID(0), "revoked": true}, "Calendar feed %d revoked.", c.ID(0))
		},
	})
}
