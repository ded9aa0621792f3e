package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
)

func newPolicyEditCmd(g *globals) *cobra.Command {
	var file, changelog, bump, body string
	return actingCommand(g, acting{
		Use:   "edit ID --file body.md [--changelog TEXT] [--bump minor|major]",
		Short: "Change the open draft, or start a new draft version of a published policy (changelog required)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"policy"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&file, "file", "", "the Markdown text (- for standard input)")
			fl.StringVar(&changelog, "changelog", "", "what this version changes (required for a new version)")
			fl.StringVar(&bump, "bump", "minor", "for a new version: minor or major (a major version is accepted again by everyone)")
		},
		Before: func(c *call) error {
			var err error
			body, err = readBody(c.cmd, file)
			return err
		},
		Run: func(c *call) error {
			v, err := c.m.App.EditPolicy(c.ctx, c.p, c.ID(0), assay.PolicyEdit{Body: body, Changelog: changelog, Bump: bump})
			if err != nil {
				return err
			}
			return c.Line(v, "Saved %s version %s (%s).", v.PolicyTitle, v.Version, v.Status)
		},
	})
}

// policyMoves are the API's transitions as commands.
var policyMoves = []struct {
	use   string
	to    assay.PolicyStatus
	short string
}{
	{"submit", assay.PolicyInReview, "Send a draft for review (to: in_review)"},
	{"approve", assay.PolicyApproved, "Approve a version in review (to: approved); the approver must not be its last editor, so use --as"},
	{"publish", assay.PolicyPublished, "Publish an approved version (to: published); the version in force is retired"},
	{"retire", assay.PolicyRetired, "Retire a version (to: retired)"},
	{"draft", assay.PolicyDraft, "Send a version in review or approved back to draft (to: draft)"},
}

func newPolicyMoveCmds(g *globals) []*cobra.Command {
	var out []*cobra.Command
	for _, mv := range policyMoves {
		var version string
		out = append(out, actingCommand(g, acting{
			Use:   mv.use + " ID [--version V]",
			Short: mv.short,
			Args:  cobra.ExactArgs(1),
			IDs:   []string{"policy"},
			Flags: func(fl *pflag.FlagSet) {
				fl.StringVar(&version, "version", "", "the version's number (1.2) or id (default: the latest)")
			},
			Run: func(c *call) error {
				id := c.ID(0)
				v, err := c.m.App.FindPolicyVersion(c.ctx, c.p, id, version)
				if err != nil {
					return err
				}
				if v, err = c.m.App.MovePolicyVersion(c.ctx, c.p, id, v.ID, mv.to); err != nil {
					return err
				}
				return c.Line(v, "%s version %s is now %s.", v.PolicyTitle, v.Version, v.Status)
			},
		}))
	}
	return out
}

func newPolicyReviewCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "review ID",
		Short: "Record a review without changes of a published policy",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"policy"},
		Run: func(c *call) error {
			pol, err := c.m.App.ReviewPolicy(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Line(pol, "Review of %s recorded; next by %s.", pol.Title, assay.FormatDate(pol.NextReview()))
		},
	})
}

func newPolicyDiffCmd(g *globals) *cobra.Command {
	var from, to string
	return actingCommand(g, acting{
		Use:   "diff ID [--from V] [--to V]",
		Short: "Show what changed between two versions (default: the previous and the latest)",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"policy"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&from, "from", "", "the older version's number (1.0) or id")
			fl.StringVar(&to, "to", "", "the newer version's number (1.1) or id")
		},
		Run: func(c *call) error {
			d, err := c.m.App.DiffPolicy(c.ctx, c.p, c.ID(0), from, to)
			if err != nil {
				return err
			}
			return c.Out(d, func(w io.Writer) error {
				fmt.Fprintf(w, "%s: version %s to %s, %d lines added, %d removed\n", d.To.PolicyTitle, d.From.Version, d.To.Version, d.Added, d.Removed)
				for _, l := range d.Lines {
					mark := " "
					switch l.Kind {
					case "added":
						mark = "+"
					case "removed":
						mark = "-"
					}
					fmt.Fprintf(w, "%s %s\n", mark, l.Text)
				}
				return nil
			})
		},
	})
}
