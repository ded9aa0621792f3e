package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/assay-platform/assay/server"
)

// newVendorImportCmd imports a vendor register file, every row or none.
func newVendorImportCmd(g *globals) *cobra.Command {
	var f actingFlags
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import vendors from a CSV or XLSX file (the export's columns; every row or none)",
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
			vendors, err := server.ImportVendorsCSV(ctx, m.App, p, file)
			if err != nil {
				return err
			}
			return printImported(cmd, f, len(vendors), "vendors")
		},
	}
	f.add(cmd)
	return cmd
}
