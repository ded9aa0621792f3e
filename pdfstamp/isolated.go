package pdfstamp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// The PDF reader underneath (gofpdi) is not hardened against crafted
// files: some damaged trailers make it loop for ever. Stamping therefore
// runs in a child process (this same executable, re-run with childEnv
// set) that is killed when it overruns, so a bad file costs one refused
// download, never a spinning server.
const (
	childEnv = "ASSAY_PDFSTAMP_CHILD"
	lineEnv  = "ASSAY_PDFSTAMP_LINE"
	// MaxInput bounds the PDFs stamped.
	MaxInput = 64 << 20
)

// DefaultTimeout is how long a child may take to stamp a document.
const DefaultTimeout = 30 * time.Second

// RunChildIfAsked makes the process a stamping child when it was started
// as one: it reads the PDF on standard input, writes the stamped copy on
// standard output and exits. Call it first thing in main (and in TestMain
// of packages whose tests stamp).
func RunChildIfAsked() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	in, err := io.ReadAll(io.LimitReader(os.Stdin, MaxInput+1))
	if err == nil && len(in) > MaxInput {
		err = fmt.Errorf("the PDF is larger than %d bytes", MaxInput)
	}
	var out []byte
	if err == nil {
		out, err = Stamp(in, os.Getenv(lineEnv))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := os.Stdout.Write(out); err != nil {
		os.Exit(3)
	}
	os.Exit(0)
}

// Isolated stamps pdf in a child process, killed after timeout (0:
// DefaultTimeout). Content that is not a PDF is ErrNotPDF, decided here.
func Isolated(ctx context.Context, pdf []byte, line string, timeout time.Duration) ([]byte, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(pdf, " \t\r\n"), []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	if len(pdf) > MaxInput {
		return nil, fmt.Errorf("stamp PDF: larger than %d bytes", MaxInput)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("stamp PDF: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), childEnv+"=1", lineEnv+"="+strings.ReplaceAll(line, "\x00", ""))
	cmd.Stdin = bytes.NewReader(pdf)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("stamp PDF: gave up after %s; the file may be damaged", timeout)
		}
		return nil, fmt.Errorf("stamp PDF: %s", strings.TrimSpace(stderr.String()))
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
		return nil, errors.New("stamp PDF: the child wrote no PDF")
	}
	return out.Bytes(), nil
}
