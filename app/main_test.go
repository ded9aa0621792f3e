package app_test

import (
	"os"
	"testing"

	"github.com/assay-platform/assay/pdfstamp"
)

// TestMain lets this test binary serve as the PDF-stamping child the
// trust center's downloads start (pdfstamp.Isolated re-runs the binary).
func TestMain(m *testing.M) {
	pdfstamp.RunChildIfAsked()
	os.Exit(m.Run())
}
