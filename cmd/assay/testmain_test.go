package main

import (
	"os"
	"testing"

	"github.com/assay-platform/assay/pdfstamp"
)

// TestMain lets the test binary serve as the PDF-stamping child that
// trust center downloads start (pdfstamp.Isolated re-runs the binary),
// and removes the template data folders when the tests are done.
func TestMain(m *testing.M) {
	pdfstamp.RunChildIfAsked()
	// The commands the tests run in-process (runCLI) hash passwords as
	// cheaply as the servers they start (fastParams); the built binary
	// (kill_test.go) keeps auth.DefaultParams.
	defaultPasswordParams = fastParams
	// The commands take --db from ASSAY_DB: the tests choose their database
	// themselves, whatever the shell running them has set. Cleared here,
	// once, rather than with t.Setenv in each test, which would keep the
	// command-line tests from running in parallel.
	os.Unsetenv("ASSAY_DB")
	code := m.Run()
	removeDataTemplates() // data_template_test.go
	os.Exit(code)
}
