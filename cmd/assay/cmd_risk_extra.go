package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/server"
)

// newRiskAssessCmd records a completed risk assessment, as the risks page's
// form does.
func newRiskAssessCmd(g *globals) *cobra.Command {
	var f actingFlags
	var date, summary, approver string
	cmd := &cobra.Command{
		Use:   "assess --date DATE --summary TEXT --approver EMAIL",
		Short: "Record a completed risk assessment (admins)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			ra := assay.RiskAssessment{Summary: summary}
			d, err := assay.ParseDate("date", date)
			if err != nil {
				return err
			}
			if d != nil {
				ra.Date = *d
			}
			if ra.ApproverID, err = userIDByEmail(ctx, p, "approver", approver); err != nil {
				return err
			}
			out, err := m.App.CreateRiskAssessment(ctx, p, ra)
			if err != nil {
				return err
			}
			if f.asJSON {
				return printJSON(cmd.OutOrStdout(), out)
			}
			cmd.Printf("Recorded the risk assessment of %s, approved by %s: %d risks, %d open, %d high residual, %d accepted.\n",
				out.Date.Format("2006-01-02"), orNone(out.ApproverName), out.Risks, out.OpenRisks, out.HighResidual, out.Accepted)
			return nil
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&date, "date", "", "the day it was completed (2027-03-31)")
	cmd.Flags().StringVar(&summary, "summary", "", "what it found and decided")
	cmd.Flags().StringVar(&approver, "approver", "", "who approved it (email)")
	return cmd
}

// newRiskImportCmd imports a risk register file, every row or none.
func newRiskImportCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import risks from a CSV or XLSX file (the export's columns; every row or none)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, p, err := f.principal(ctx, g, cmd)
			if err != nil {
				return err
			}
			defer m.Close()
			file, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer file.Close()
			risks, err := server.ImportRisksCSV(ctx, m.App, p, file)
			if err != nil {
				return err
			}
			return printImported(cmd, f, len(risks), "risks")
		},
	}
	f.add(cmd)
	return cmd
}

// printImported prints the API's import document or a line.
func printImported(cmd *cobra.Command, f actingFlags, n int, what string) error {
	if f.asJSON {
		return printJSON(cmd.OutOrStdout(), map[string]any{"imported": n})
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), "Imported %d %s.\n", n, what)
	return err
}
