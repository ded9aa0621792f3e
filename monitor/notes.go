package monitor

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/assay-platform/assay"
)

// MaxNotes bounds the notes one run keeps; MaxNoteLen bounds each one.
const (
	MaxNotes   = assay.MaxRunNotes
	MaxNoteLen = assay.MaxRunNoteLen
)

// Notes gathers what a collector wants the person who ran it to know
// besides its resources: that a document held nothing the checks judge, a
// value taken as the provider's default, repeated findings merged. The
// runner makes one per run, hands it to the collector both in the context
// (Note) and in its Config (Config.Notes, Add), and puts what it holds on
// the run. A collector with nothing to say says nothing; a nil *Notes
// keeps nothing, so a collector notes without checking.
type Notes struct {
	mu   sync.Mutex
	list []string
}

type notesKey struct{}

// WithNotes returns a context under which Note adds to the returned Notes.
func WithNotes(ctx context.Context) (context.Context, *Notes) {
	n := &Notes{}
	return context.WithValue(ctx, notesKey{}, n), n
}

// NotesFrom returns the Notes gathering under ctx, or nil.
func NotesFrom(ctx context.Context) *Notes {
	n, _ := ctx.Value(notesKey{}).(*Notes)
	return n
}

// Note adds a note for the run under ctx (nothing when no one gathers
// them). See Add.
func Note(ctx context.Context, format string, args ...any) {
	NotesFrom(ctx).Add(format, args...)
}

// Add records one note, formatted as fmt.Sprintf does: one line, without
// secrets, written for the person reading the run. Whitespace runs become
// one space; a repeated note is kept once; a note longer than MaxNoteLen
// characters is cut; past MaxNotes the rest is dropped.
func (n *Notes) Add(format string, args ...any) {
	if n == nil {
		return
	}
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " ")
	if msg == "" {
		return
	}
	if r := []rune(msg); len(r) > MaxNoteLen {
		msg = string(r[:MaxNoteLen-1]) + "…"
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, have := range n.list {
		if have == msg {
			return
		}
	}
	if len(n.list) < MaxNotes {
		n.list = append(n.list, msg)
	}
}

// List returns the notes in the order they were added (nil when none).
func (n *Notes) List() []string {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.list) == 0 {
		return nil
	}
	return append([]string(nil), n.list...)
}
