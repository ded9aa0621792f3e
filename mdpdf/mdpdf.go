// Package mdpdf lays out Markdown on A4 pages with the core Helvetica
// fonts: headings, paragraphs with bold and italic runs, bullet and
// numbered lists, code blocks and rules. Policies and the report package
// (management's assertion, the system description) are printed with it.
package mdpdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Doc is what a PDF shows: a small line above the title, the title, a line
// under it, the Markdown body, and a footer on every page (followed by the
// page number).
type Doc struct {
	Author   string // the organisation
	Header   string
	Title    string
	Subtitle string
	Footer   string
	Markdown string
	// MetaTitle is the PDF's title in its properties (default: Title).
	MetaTitle string
}

type pdfWriter struct {
	pdf  *fpdf.Fpdf
	tr   func(string) string
	src  []byte
	left float64
}

// Render lays out the document.
func Render(d Doc) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false) // text stays searchable in the raw file
	meta := d.MetaTitle
	if meta == "" {
		meta = d.Title
	}
	pdf.SetTitle(meta, true)
	pdf.SetAuthor(d.Author, true)
	pdf.SetCreator("Assay", true)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	w := &pdfWriter{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), src: []byte(d.Markdown), left: 20}
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, w.tr(fmt.Sprintf("%s · page %d of {nb}", d.Footer, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AliasNbPages("{nb}")
	pdf.AddPage()

	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(90, 100, 112)
	pdf.CellFormat(0, 6, w.tr(d.Header), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "B", 20)
	pdf.SetTextColor(29, 35, 43)
	pdf.MultiCell(0, 9, w.tr(d.Title), "", "", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(90, 100, 112)
	pdf.MultiCell(0, 5, w.tr(d.Subtitle), "", "", false)
	pdf.SetDrawColor(47, 93, 138)
	pdf.SetLineWidth(0.6)
	pdf.Line(20, pdf.GetY()+2, 190, pdf.GetY()+2)
	pdf.Ln(6)
	pdf.SetTextColor(29, 35, 43)

	doc := goldmark.New().Parser().Parse(text.NewReader(w.src))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		w.block(n, 0)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("pdf %q: %w", d.Title, err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf %q: %w", d.Title, err)
	}
	return buf.Bytes(), nil
}

func (w *pdfWriter) block(n ast.Node, depth int) {
	pdf := w.pdf
	switch n := n.(type) {
	case *ast.Heading:
		size := map[int]float64{1: 16, 2: 13}[n.Level]
		if size == 0 {
			size = 11
		}
		pdf.Ln(3)
		pdf.SetFont("Helvetica", "B", size)
		if n.Level == 1 {
			pdf.SetTextColor(29, 35, 43)
		} else {
			pdf.SetTextColor(47, 93, 138)
		}
		pdf.MultiCell(0, size*0.5, w.tr(w.plain(n)), "", "", false)
		pdf.SetTextColor(29, 35, 43)
		pdf.Ln(1)
	case *ast.Paragraph, *ast.TextBlock:
		w.inline(n, 10.5)
		pdf.Ln(6.5)
	case *ast.List:
		number := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			marker := "•"
			if n.IsOrdered() {
				marker = strconv.Itoa(number) + "."
				number++
			}
			indent := w.left + 4 + float64(depth)*6
			pdf.SetLeftMargin(indent)
			pdf.SetX(indent)
			pdf.SetFont("Helvetica", "", 10.5)
			pdf.CellFormat(7, 5.5, w.tr(marker), "", 0, "", false, 0, "")
			pdf.SetLeftMargin(indent + 7)
			for c := item.FirstChild(); c != nil; c = c.NextSibling() {
				if l, ok := c.(*ast.List); ok {
					pdf.Ln(5.5)
					w.block(l, depth+1)
					continue
				}
				w.inline(c, 10.5)
			}
			pdf.SetLeftMargin(w.left)
			pdf.Ln(6.5)
		}
		pdf.SetLeftMargin(w.left)
		pdf.SetX(w.left)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		pdf.SetFont("Courier", "", 9)
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(w.src))
		}
		pdf.SetFillColor(241, 243, 245)
		pdf.MultiCell(0, 4.5, w.tr(strings.TrimRight(b.String(), "\n")), "", "", true)
		pdf.Ln(2)
	case *ast.Blockquote:
		pdf.SetLeftMargin(w.left + 8)
		pdf.SetX(w.left + 8)
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			w.block(c, depth)
		}
		pdf.SetLeftMargin(w.left)
		pdf.SetX(w.left)
	case *ast.ThematicBreak:
		pdf.SetDrawColor(200, 205, 210)
		pdf.SetLineWidth(0.3)
		pdf.Line(w.left, pdf.GetY()+1, 190, pdf.GetY()+1)
		pdf.Ln(4)
	default:
		if t := strings.TrimSpace(w.plain(n)); t != "" {
			pdf.SetFont("Helvetica", "", 10.5)
			pdf.MultiCell(0, 5.5, w.tr(t), "", "", false)
		}
	}
}

// inline writes a paragraph's runs, switching to bold or italic for
// emphasis and keeping link text.
func (w *pdfWriter) inline(n ast.Node, size float64) {
	var walk func(n ast.Node, style string)
	walk = func(n ast.Node, style string) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				w.pdf.SetFont("Helvetica", style, size)
				t := string(c.Segment.Value(w.src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					t += " "
				}
				w.pdf.Write(5.5, w.tr(t))
			case *ast.String:
				w.pdf.SetFont("Helvetica", style, size)
				w.pdf.Write(5.5, w.tr(string(c.Value)))
			case *ast.CodeSpan:
				w.pdf.SetFont("Courier", "", size-1)
				w.pdf.Write(5.5, w.tr(w.plain(c)))
			case *ast.Emphasis:
				st := style
				if c.Level >= 2 && !strings.Contains(st, "B") {
					st += "B"
				} else if c.Level == 1 && !strings.Contains(st, "I") {
					st += "I"
				}
				walk(c, st)
			default:
				walk(c, style)
			}
		}
	}
	walk(n, "")
}

// plain is a node's text without formatting.
func (w *pdfWriter) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(w.src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
