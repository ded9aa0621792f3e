package main

import (
	"github.com/assay-platform/assay/csvimport"
	"github.com/spf13/cobra"
)

// newVendorImportCmd imports a vendor register file, every row or none.
func newVendorImportCmd(g *globals) *cobra.Command {
	return importCommand(g, "Import vendors from a CSV or XLSX file (the export's columns; every row or none)", "vendors", csvimport.Vendors)
}
