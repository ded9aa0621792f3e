// Command assay is the Assay program: the server, the demo and the CLI.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/assay-platform/assay/pdfstamp"
)

func main() {
	pdfstamp.RunChildIfAsked() // a PDF-stamping child (pdfstamp/isolated.go) does only that
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "assay:", err)
		os.Exit(1)
	}
}
