package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/assay-platform/assay"
)

// newAuditDocumentCmd prints or saves one of management's documents for an
// engagement: "assertion" or "description".
func newAuditDocumentCmd(g *globals, d assay.ReportDocument) *cobra.Command {
	var format, out string
	short := map[assay.ReportDocument]string{
		assay.ReportAssertion:   "Management's assertion for an engagement, as Markdown or PDF",
		assay.ReportDescription: "The system description (section III) for an engagement, from the scope pages, as Markdown or PDF",
	}[d]
	return actingCommand(g, acting{
		Use:   string(d) + " ID [--format md|pdf] [--out FILE]",
		Short: short,
		Long: short + ".\nThe Markdown is what management signs; its SHA-256 is printed with --json and recorded with a sign-off.\n" +
			"Without --out the Markdown is printed; a PDF needs --out.",
		Args: cobra.ExactArgs(1),
		IDs:  []string{"audit"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&format, "format", "md", "md or pdf")
			fl.StringVar(&out, "out", "", "file to write")
		},
		Before: func(c *call) error {
			if format == "pdf" && out == "" && !c.json {
				return fmt.Errorf("a PDF needs --out FILE")
			}
			return nil
		},
		Run: func(c *call) error {
			id := c.ID(0)
			if c.json && out == "" {
				t, err := c.m.App.AuditReportText(c.ctx, c.p, id, d)
				if err != nil {
					return err
				}
				return printJSON(c.w, t)
			}
			dl, err := c.m.App.AuditReportDownload(c.ctx, c.p, id, d, format)
			if err != nil {
				return err
			}
			if out == "" {
				_, err := c.w.Write(dl.Body)
				return err
			}
			if err := writeFileAtomic(out, func(w io.Writer) error {
				_, err := io.Copy(w, bytes.NewReader(dl.Body))
				return err
			}); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			return c.Line(map[string]any{"file": out, "sha256": dl.Digest, "bytes": len(dl.Body)},
				"Wrote the %s of audit %d to %s (SHA-256 of the text: %s).", d, id, out, dl.Digest)
		},
	})
}

// newAuditReportCmds are the report package's commands.
func newAuditReportCmds(g *globals) []*cobra.Command {
	return []*cobra.Command{newAuditDocumentCmd(g, assay.ReportAssertion), newAuditDocumentCmd(g, assay.ReportDescription)}
}
