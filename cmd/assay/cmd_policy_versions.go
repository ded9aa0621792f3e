package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
)

func newPolicyEditCmd(g *globals) *cobra.Command {
	var f actingFlags
	var file, changelog, bump string
	cmd := &cobra.Command{
		Use:   "edit ID --file body.md [--changelog TEXT] [--bump minor|major]",
		Short: "Change the open draft, or start a new draft version of a published policy (changelog required)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := policyID(args[0])
			if err != nil {
				return err
			}
			body, err := readBody(cmd, file)
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			v, err := m.App.EditPolicy(ctx, p, id, assay.PolicyEdit{Body: body, Changelog: changelog, Bump: bump})
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), v)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Saved %s version %s (%s).\n", v.PolicyTitle, v.Version, v.Status)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&file, "file", "", "the Markdown text (- for standard input)")
	cmd.Flags().StringVar(&changelog, "changelog", "", "what this version changes (required for a new version)")
	cmd.Flags().StringVar(&bump, "bump", "minor", "for a new version: minor or major (a major version is accepted again by everyone)")
	return cmd
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
		var f actingFlags
		var version string
		cmd := &cobra.Command{
			Use:   mv.use + " ID [--version V]",
			Short: mv.short,
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				ctx := cmd.Context()
				id, err := policyID(args[0])
				if err != nil {
					return err
				}
				m, p, err := f.principal(ctx, g, cmd)
				if err != nil {
					return err
				}
				defer m.Close()
				v, err := m.App.FindPolicyVersion(ctx, p, id, version)
				if err != nil {
					return err
				}
				if v, err = m.App.MovePolicyVersion(ctx, p, id, v.ID, mv.to); err != nil {
					return err
				}
				if f.asJSON {
					return printJSON(cmd.OutOrStdout(), v)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s version %s is now %s.\n", v.PolicyTitle, v.Version, v.Status)
				return nil
			},
		}
		f.add(cmd)
		cmd.Flags().StringVar(&version, "version", "", "the version's number (1.2) or id (default: the latest)")
		out = append(out, cmd)
	}
	return out
}

func newPolicyReviewCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "review ID",
		Short: "Record a review without changes of a published policy",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := policyID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			pol, err := m.App.ReviewPolicy(ctx, p, id)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), pol)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Review of %s recorded; next by %s.\n", pol.Title, assay.FormatDate(pol.NextReview()))
			return nil
		},
	}
	f.add(cmd)
	return cmd
}

func newPolicyDiffCmd(g *globals) *cobra.Command {
	var f actingFlags
	var from, to string
	cmd := &cobra.Command{
		Use:   "diff ID [--from V] [--to V]",
		Short: "Show what changed between two versions (default: the previous and the latest)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := policyID(args[0])
			if err != nil {
				return err
			}
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			d, err := m.App.DiffPolicy(ctx, p, id, from, to)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if f.asJSON {
				return printJSON(w, d)
			}
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
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&from, "from", "", "the older version's number (1.0) or id")
	cmd.Flags().StringVar(&to, "to", "", "the newer version's number (1.1) or id")
	return cmd
}
