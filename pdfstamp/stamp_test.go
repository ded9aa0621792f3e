package pdfstamp

import (
	"bytes"
	"compress/zlib"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// source makes a three-page PDF, one page landscape, as another tool would.
func source(t *testing.T) []byte {
	t.Helper()
	d := fpdf.New("P", "mm", "A4", "")
	d.SetFont("Helvetica", "", 12)
	for i, o := range []string{"P", "L", "P"} {
		d.AddPageFormat(o, d.GetPageSizeStr("A4"))
		d.Cell(40, 10, "Report page "+string(rune('1'+i)))
	}
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// text is every content stream of a PDF, inflated.
func text(t *testing.T, pdf []byte) string {
	t.Helper()
	var all strings.Builder
	re := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			all.Write(m[1])
			continue
		}
		b, _ := io.ReadAll(r)
		all.Write(b)
	}
	return all.String()
}

func TestStampMarksEveryPage(t *testing.T) {
	src := source(t)
	out, err := Stamp(src, "Provided to Vera Visitor <vera@customer.example> on 2026-12-07 under NDA")
	if err != nil {
		t.Fatal(err)
	}
	body := text(t, out)
	if n := strings.Count(body, "Provided to Vera Visitor"); n != 6 { // foot and head of 3 pages
		t.Fatalf("the stamp appears %d times, want 6", n)
	}
	if !strings.Contains(body, "Report page 3") {
		t.Fatal("the original pages are not in the stamped copy")
	}
	if !regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count 3`).Match(out) {
		t.Fatal("the stamped copy does not have 3 pages")
	}
}

func TestStampRefusesWhatIsNotAPDF(t *testing.T) {
	if _, err := Stamp([]byte("name,email\n"), "x"); err != ErrNotPDF {
		t.Fatalf("CSV: %v", err)
	}
	if _, err := Stamp([]byte("%PDF-1.7\n garbage"), "x"); err == nil {
		t.Fatal("a damaged PDF was stamped")
	}
}

func TestMain(m *testing.M) {
	RunChildIfAsked()
	os.Exit(m.Run())
}

// A file the reader would loop on for ever (a damaged trailer) costs a
// refused stamp, not a stuck process; a good one is stamped by the child.
func TestIsolatedKillsAHangingStamp(t *testing.T) {
	d := fpdf.New("P", "mm", "A4", "")
	d.AddPage()
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	out, err := Isolated(context.Background(), good, "Provided to Ada", 0)
	if err != nil || !strings.Contains(text(t, out), "Provided to Ada") {
		t.Fatalf("isolated stamp: %v", err)
	}
	bad := bytes.Replace(good, []byte(">>\nstartxref"), []byte(">>_startxref"), 1)
	if bytes.Equal(bad, good) {
		t.Fatal("the damaged copy is not damaged")
	}
	if _, err := Isolated(context.Background(), bad, "x", 2*time.Second); err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Fatalf("damaged trailer: %v", err)
	}
	if _, err := Isolated(context.Background(), []byte("name,email"), "x", 0); err != ErrNotPDF {
		t.Fatalf("CSV: %v", err)
	}
}
