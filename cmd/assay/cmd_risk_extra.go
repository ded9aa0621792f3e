package main

import (
	"context"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
)

// newRiskAssessCmd records a completed risk assessment, as the risks page's
// form does.
func newRiskAssessCmd(g *globals) *cobra.Command {
	var date, summary, approver string
	return actingCommand(g, acting{
		Use:   "assess --date DATE --summary TEXT --approver EMAIL",
		Short: "Record a completed risk assessment (admins)",
		Args:  cobra.NoArgs,
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&date, "date", "", "the day it was completed (2027-03-31)")
			fl.StringVar(&summary, "summary", "", "what it found and decided")
			fl.StringVar(&approver, "approver", "", "who approved it (email)")
		},
		Run: func(c *call) error {
			ra := assay.RiskAssessment{Summary: summary}
			d, err := assay.ParseDate("date", date)
			if err != nil {
				return err
			}
			if d != nil {
				ra.Date = *d
			}
			if ra.ApproverID, err = userIDByEmail(c.ctx, c.p, "approver", approver); err != nil {
				return err
			}
			out, err := c.m.App.CreateRiskAssessment(c.ctx, c.p, ra)
			if err != nil {
				return err
			}
			if c.json {
				return printJSON(c.w, out)
			}
			c.cmd.Printf("Recorded the risk assessment of %s, approved by %s: %d risks, %d open, %d high residual, %d accepted.\n",
				out.Date.Format("2006-01-02"), orNone(out.ApproverName), out.Risks, out.OpenRisks, out.HighResidual, out.Accepted)
			return nil
		},
	})
}

// newRiskImportCmd imports a risk register file, every row or none.
func newRiskImportCmd(g *globals) *cobra.Command {
	return importCommand(g, "Import risks from a CSV or XLSX file (the export's columns; every row or none)", "risks", csvimport.Risks)
}

// importCommand is "import FILE" of a register: it imports the file with
// imp, every row or none, and prints the API's import document or a line.
func importCommand[T any](g *globals, short, what string, imp func(context.Context, *app.App, app.Principal, io.Reader) ([]T, error)) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "import FILE",
		Short: short,
		Args:  cobra.ExactArgs(1),
		Run: func(c *call) error {
			file, err := os.Open(c.args[0])
			if err != nil {
				return err
			}
			defer file.Close()
			rows, err := imp(c.ctx, c.m.App, c.p, file)
			if err != nil {
				return err
			}
			return c.Line(map[string]any{"imported": len(rows)}, "Imported %d %s.", len(rows), what)
		},
	})
}
