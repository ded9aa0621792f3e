package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/input"
)

// printRequests prints a request list as the API's document or a line each.
func printRequests(c *call, reqs []assay.EvidenceRequest, lead string) error {
	views := app.ViewEvidenceRequests(reqs, c.m.App.Now())
	return c.Out(map[string]any{"requests": views, "count": len(views)}, func(w io.Writer) error {
		c.cmd.Println(lead)
		for _, v := range views {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\tdue %s\t%s\n", v.ID, orNone(v.Reference), v.ControlID, orNone(v.AssigneeName), v.DueDate.Format("2006-01-02"), v.Status)
		}
		return nil
	})
}

func newRequestImportCmd(g *globals) *cobra.Command {
	var audit int64
	var text string
	return actingCommand(g, acting{
		Use:   "import --audit N FILE",
		Short: "Put an auditor's request list (CSV, tab-separated or XLSX) on an engagement, every line or none",
		Long: "Columns: reference, request, control and due date, with the assignee's e-mail (default: the control's owner) and a sampled\n" +
			"item optional. Trackers' own column names (Request #, Description, Control ID, Deadline, Owner) are understood.",
		Args: cobra.ExactArgs(1),
		Flags: func(fl *pflag.FlagSet) {
			fl.Int64Var(&audit, "audit", 0, "the engagement (required)")
		},
		Before: func(c *call) error {
			if audit <= 0 {
				return assay.Invalid("audit", "Give the engagement with --audit N.")
			}
			b, err := os.ReadFile(c.args[0])
			if err != nil {
				return assay.Invalid("file", "Cannot read %s: %v", c.args[0], err)
			}
			text = string(b)
			return nil
		},
		Run: func(c *call) error {
			reqs, err := csvimport.RequestList(c.ctx, c.m.App, c.p, audit, text)
			if err != nil {
				return err
			}
			return printRequests(c, reqs, fmt.Sprintf("Imported %d requests onto engagement %d.", len(reqs), audit))
		},
	})
}

func newRequestSampleCmd(g *globals) *cobra.Command {
	var audit, sample int64
	var control, due, description string
	return actingCommand(g, acting{
		Use:   "sample --audit N --sample S --due DATE [--control ID] [--description TEXT]",
		Short: "Ask for the evidence of each item a sample drew, one request each",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.Int64Var(&audit, "audit", 0, "the engagement (required)")
			fl.Int64Var(&sample, "sample", 0, "the sample (required)")
			fl.StringVar(&control, "control", "", "the control the evidence is for (default: the sample's)")
			fl.StringVar(&due, "due", "", "the due date, 2006-01-02 (required)")
			fl.StringVar(&description, "description", "", "what to provide for each item")
		},
		Run: func(c *call) error {
			in := app.SampleRequests{ControlID: control, Description: description}
			d, err := input.ParseDate("due_date", due)
			if err != nil {
				return err
			}
			if d != nil {
				in.DueDate = *d
			}
			reqs, err := c.m.App.RequestSampleEvidence(c.ctx, c.p, audit, sample, in)
			if err != nil {
				return err
			}
			return printRequests(c, reqs, fmt.Sprintf("Asked for the evidence of %d sampled items.", len(reqs)))
		},
	})
}

func newRequestCommentCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "comment ID TEXT",
		Short: "Add to a request's thread (who asked, who answers, admins and auditors)",
		Args:  cobra.ExactArgs(2),
		IDs:   []string{"evidence request"},
		Run: func(c *call) error {
			cm, err := c.m.App.CommentEvidenceRequest(c.ctx, c.p, c.ID(0), strings.Join(c.args[1:], " "))
			if err != nil {
				return err
			}
			return c.Out(cm, func(w io.Writer) error {
				fmt.Fprintf(w, "Comment %d on request %d by %s.\n", cm.ID, cm.RequestID, cm.AuthorName)
				return nil
			})
		},
	})
}
