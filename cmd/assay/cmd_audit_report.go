package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

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
	return []*cobra.Command{newAuditDocumentCmd(g, assay.ReportAssertion), newAuditDocumentCmd(g, assay.ReportDescription),
		newAuditSignCmd(g), newAuditReportShowCmd(g)}
}

func newAuditSignCmd(g *globals) *cobra.Command {
	var document, digest, name, title, signer string
	cmd := actingCommand(g, acting{
		Use:   "sign ID --document assertion|description --sha256 DIGEST --title TITLE (--signer EMAIL | --name NAME)",
		Short: "Record that a named executive signed management's assertion or the system description (admins)",
		Long: "Record a sign-off of the text whose SHA-256 is given (print it with `assay audit assertion ID --json`);\n" +
			"it is refused if the text has changed since. The signer is an admin (--signer EMAIL) or a name typed with --name.",
		Args: cobra.ExactArgs(1),
		IDs:  []string{"audit"},
		Flags: func(fl *pflag.FlagSet) {
			fl.StringVar(&document, "document", "", "assertion or description")
			fl.StringVar(&digest, "sha256", "", "the SHA-256 of the text signed")
			fl.StringVar(&title, "title", "", "the signer's title")
			fl.StringVar(&name, "name", "", "the signer's name, when they are not a user")
			fl.StringVar(&signer, "signer", "", "the signer's email (an admin)")
		},
		Run: func(c *call) error {
			d, err := assay.ParseReportDocument(document)
			if err != nil {
				return err
			}
			n := assay.NewSignoff{Document: d, Digest: digest, SignerName: name, SignerTitle: title}
			if signer != "" {
				users, err := c.m.App.Users(c.ctx, c.p)
				if err != nil {
					return err
				}
				for _, u := range users {
					if strings.EqualFold(u.Email, strings.TrimSpace(signer)) {
						n.SignerUserID = u.ID
					}
				}
				if n.SignerUserID == 0 {
					return assay.Invalid("signer", "No user with the email %q in this organisation.", signer)
				}
			}
			s, err := c.m.App.SignAuditDocument(c.ctx, c.p, c.ID(0), n)
			if err != nil {
				return err
			}
			return c.Line(s, "Recorded: %s (%s) signed the %s of audit %d (SHA-256 %s).", s.SignerName, s.SignerTitle, s.Document, s.AuditID, s.Digest)
		},
	})
	return cmd
}

func newAuditReportShowCmd(g *globals) *cobra.Command {
	return actingCommand(g, acting{
		Use:   "report ID",
		Short: "Show an engagement's report package: sign-offs, uploaded reports, comments",
		Args:  cobra.ExactArgs(1),
		IDs:   []string{"audit"},
		Run: func(c *call) error {
			pkg, err := c.m.App.AuditReportPackage(c.ctx, c.p, c.ID(0))
			if err != nil {
				return err
			}
			return c.Out(pkg, func(w io.Writer) error {
				for _, d := range pkg.Documents {
					state := "not signed"
					if d.Signoff != nil {
						state = fmt.Sprintf("signed by %s (%s) %s", d.Signoff.SignerName, d.Signoff.SignerTitle, d.Signoff.SignedAt.Format("2006-01-02"))
						if d.OutOfDate {
							state += ", OUT OF DATE: the text changed since"
						}
					}
					fmt.Fprintf(w, "%s: sha256 %s; %s\n", d.Text.Title, d.Text.Digest, state)
				}
				for _, f := range pkg.Files {
					fmt.Fprintf(w, "Report %d (%s): %s, sha256 %s, by %s\n", f.ID, f.Kind, f.Filename, f.Digest, f.UploadedByName)
				}
				fmt.Fprintf(w, "Comments: %d, %d open\n", len(pkg.Comments), pkg.Open)
				return nil
			})
		},
	})
}
