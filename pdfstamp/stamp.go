// Package pdfstamp marks every page of an existing PDF with a line of
// text (who a document was given to, and when), so that a copy shared
// under NDA names its recipient on each page.
package pdfstamp

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"codeberg.org/go-pdf/fpdf"
	"codeberg.org/go-pdf/fpdf/contrib/gofpdi"
)

// ErrNotPDF is returned for content that is not a PDF.
var ErrNotPDF = errors.New("not a PDF")

// MaxPages bounds the pages stamped, so a crafted file cannot make the
// server lay out millions of pages.
const MaxPages = 2000

// Stamp returns a copy of the PDF with line printed at the foot of every
// page (and once, lighter, across the top). The pages themselves are
// imported unchanged as templates.
func Stamp(pdf []byte, line string) (out []byte, err error) {
	if !bytes.HasPrefix(bytes.TrimLeft(pdf, " \t\r\n"), []byte("%PDF-")) {
		return nil, ErrNotPDF
	}
	// gofpdi panics on some malformed files: a damaged upload is an error,
	// not a crash.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("stamp PDF: the file cannot be read (%v)", p)
		}
	}()
	doc := fpdf.New("P", "pt", "A4", "")
	doc.SetCompression(true)
	doc.SetAutoPageBreak(false, 0) // the stamp sits in the margin; it must not start a page
	imp := gofpdi.NewImporter()
	var rs io.ReadSeeker = bytes.NewReader(pdf)
	first := imp.ImportPageFromStream(doc, &rs, 1, "/MediaBox")
	sizes := imp.GetPageSizes()
	if len(sizes) == 0 {
		return nil, errors.New("stamp PDF: no pages")
	}
	if len(sizes) > MaxPages {
		return nil, fmt.Errorf("stamp PDF: %d pages, more than %d", len(sizes), MaxPages)
	}
	doc.SetFont("Helvetica", "", 8)
	text := doc.UnicodeTranslatorFromDescriptor("") // cp1252, the core fonts' encoding
	for i := 1; i <= len(sizes); i++ {
		box := sizes[i]["/MediaBox"]
		w, h := box["w"], box["h"]
		if w <= 0 || h <= 0 {
			return nil, fmt.Errorf("stamp PDF: page %d has no size", i)
		}
		orientation := "P"
		if w > h {
			orientation = "L"
		}
		doc.AddPageFormat(orientation, fpdf.SizeType{Wd: w, Ht: h})
		tpl := first
		if i > 1 {
			tpl = imp.ImportPageFromStream(doc, &rs, i, "/MediaBox")
		}
		imp.UseImportedTemplate(doc, tpl, 0, 0, w, h)
		doc.SetTextColor(120, 0, 0)
		doc.SetXY(18, h-20)
		doc.CellFormat(w-36, 10, text(line), "", 0, "C", false, 0, "")
		doc.SetTextColor(160, 160, 160)
		doc.SetXY(18, 8)
		doc.CellFormat(w-36, 10, text(line), "", 0, "C", false, 0, "")
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		return nil, fmt.Errorf("stamp PDF: %w", err)
	}
	return buf.Bytes(), nil
}
