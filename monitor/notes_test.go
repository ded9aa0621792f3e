package monitor

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNotes(t *testing.T) {
	Note(context.Background(), "nobody listens") // no panic, nothing kept
	var none *Notes
	none.Add("ignored %d", 1)
	if none.List() != nil {
		t.Fatal("a nil Notes keeps nothing")
	}
	ctx, notes := WithNotes(context.Background())
	if NotesFrom(ctx) != notes {
		t.Fatal("the context does not carry its notes")
	}
	Note(ctx, "The plan holds %d resources,\nnone judged.", 3)
	notes.Add("The plan holds %d resources,\nnone judged.", 3) // the same note, by the other way in
	Note(ctx, "   ")
	if got := notes.List(); !slices.Equal(got, []string{"The plan holds 3 resources, none judged."}) {
		t.Fatalf("notes = %q", got)
	}
	notes.Add("%s", strings.Repeat("é", MaxNoteLen+100))
	if long := notes.List()[1]; utf8.RuneCountInString(long) != MaxNoteLen || !utf8.ValidString(long) || !strings.HasSuffix(long, "…") {
		t.Fatalf("a long note is cut on a character: %d characters", utf8.RuneCountInString(long))
	}
	for i := range MaxNotes + 5 {
		Note(ctx, "note %d", i)
	}
	if got := notes.List(); len(got) != MaxNotes {
		t.Fatalf("%d notes kept, want %d", len(got), MaxNotes)
	}
}
