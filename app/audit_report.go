package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/mdpdf"
)

// AuditReportText drafts one of management's documents for the engagement
// from the engagement and the scope pages as they stand.
func (a *App) AuditReportText(ctx context.Context, p Principal, id int64, d assay.ReportDocument) (assay.ReportText, error) {
	if err := mayReadReport(p, id); err != nil {
		return assay.ReportText{}, err
	}
	if !d.Valid() {
		return assay.ReportText{}, assay.Invalid("document", "Unknown document %q; use assertion or description.", d)
	}
	au, err := p.Org.Audit(ctx, id)
	if err != nil {
		return assay.ReportText{}, err
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return assay.ReportText{}, err
	}
	return assay.DraftReportText(d, org, au), nil
}

// ReportDownload is a document ready to save: its file name, media type
// and bytes, and the digest of the Markdown it was laid out from.
type ReportDownload struct {
	Name        string
	ContentType string
	Body        []byte
	Digest      string
}

// ReportFormats are the formats a document downloads as.
var ReportFormats = []string{"md", "pdf"}

// AuditReportDownload is a document as Markdown ("md") or PDF ("pdf").
func (a *App) AuditReportDownload(ctx context.Context, p Principal, id int64, d assay.ReportDocument, format string) (ReportDownload, error) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format != "md" && format != "pdf" {
		return ReportDownload{}, assay.Invalid("format", "Unknown format %q; use md or pdf.", format)
	}
	t, err := a.AuditReportText(ctx, p, id, d)
	if err != nil {
		return ReportDownload{}, err
	}
	name := fmt.Sprintf("audit-%d-%s", id, d)
	if format == "md" {
		return ReportDownload{Name: name + ".md", ContentType: "text/markdown; charset=utf-8", Body: []byte(t.Markdown), Digest: t.Digest}, nil
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return ReportDownload{}, err
	}
	au, err := p.Org.Audit(ctx, id)
	if err != nil {
		return ReportDownload{}, err
	}
	md := t.Markdown
	if strings.HasPrefix(md, "# ") { // the PDF's title says it
		if _, rest, ok := strings.Cut(md, "\n\n"); ok {
			md = rest
		}
	}
	sub := "Draft, not signed. SHA-256 of the text (the Markdown) management signs: " + t.Digest
	signoffs, err := p.Org.AuditSignoffs(ctx, id)
	if err != nil {
		return ReportDownload{}, err
	}
	if st := assay.StateOf(t, signoffs); st.Current {
		sub = fmt.Sprintf("Signed by %s, %s, on %s. SHA-256 of the text signed (the Markdown): %s",
			st.Signoff.SignerName, st.Signoff.SignerTitle, st.Signoff.SignedAt.Format("2 January 2006"), t.Digest)
	} else if st.OutOfDate {
		sub = "Changed since it was signed: sign again. SHA-256 of this text (the Markdown): " + t.Digest
	}
	body, err := mdpdf.Render(mdpdf.Doc{Author: org.Name, Header: org.Name + " · " + au.Name, Title: t.Title,
		Subtitle: sub, Footer: org.Name + " · " + t.Title, Markdown: md})
	if err != nil {
		return ReportDownload{}, fmt.Errorf("audit %d %s: %w", id, d, err)
	}
	return ReportDownload{Name: name + ".pdf", ContentType: "application/pdf", Body: body, Digest: t.Digest}, nil
}
