package monitor

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestNotes(t *testing.T) {
	Note(context.Background(), "nobody listens") // no panic, nothing kept
	ctx, notes := WithNotes(context.Background())
	Note(ctx, "The plan holds %d resources,\nnone judged.", 3)
	Note(ctx, "The plan holds %d resources,\nnone judged.", 3)
	Note(ctx, "   ")
	if got := notes.List(); !slices.Equal(got, []string{"The plan holds 3 resources, none judged."}) {
		t.Fatalf("notes = %q", got)
	}
	for i := range MaxNotes + 5 {
		Note(ctx, "note %d %s", i, strings.Repeat("x", MaxNoteLen))
	}
	got := notes.List()
	if len(got) != MaxNotes {
		t.Fatalf("%d notes kept, want %d", len(got), MaxNotes)
	}
	for _, n := range got {
		if len([]rune(n)) > MaxNoteLen {
			t.Fatalf("a note of %d characters was kept", len([]rune(n)))
		}
	}
	var none *Notes
	if none.List() != nil {
		t.Fatal("a nil Notes lists something")
	}
}
