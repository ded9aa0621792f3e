package main

import (
	"os"
	"testing"

	"github.com/assay-platform/assay/pdfstamp"
)

// TestMain lets the test binary serve as the PDF-stamping child that
// trust center downloads start (pdfstamp.Isolated re-runs the binary),
// and removes the demo template folder when the tests are done.
func TestMain(m *testing.M) {
	pdfstamp.RunChildIfAsked()
	code := m.Run()
	removeDemoTemplate() // demo_template_test.go
	os.Exit(code)
}
