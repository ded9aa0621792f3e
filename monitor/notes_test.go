package monitor

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNotes(t *testing.T) {
	var none *Notes
	none.Add("ignored %d", 1)
	if none.List() != nil {
		t.Fatal("a nil Notes keeps nothing")
	}
	n := &Notes{}
	if n.List() != nil {
		t.Fatal("no notes is nil")
	}
	n.Add("merged %d repeated findings", 3)
	n.Add("%s", strings.Repeat("é", 400))
	for range 30 {
		n.Add("more")
	}
	got := n.List()
	if len(got) != maxNotes || got[0] != "merged 3 repeated findings" {
		t.Fatalf("notes: %d %q", len(got), got[0])
	}
	if long := got[1]; len(long) > maxNoteSize+len("…") || !utf8.ValidString(long) || !strings.HasSuffix(long, "…") {
		t.Fatalf("a long note is cut on a character: %d bytes, %q", len(long), long[len(long)-8:])
	}
}
