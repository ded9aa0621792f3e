package main

import (
	"os"
	"testing"

	"github.com/assay-platform/assay/pdfstamp"
)

// TestMain lets the test binary serve as the PDF-stamping child that
// trust center downloads start (pdfstamp.Isolated re-runs the binary).
func TestMain(m *testing.M) {
	pdfstamp.RunChildIfAsked()
	os.Exit(m.Run())
}
