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
// besides its resources: that a document held nothing the checks judge,
// or that a value was taken as the provider's default. The runner asks
// for them with WithNotes and puts them on the run; a collector adds
// them with Note. The Collector interface stays as it is: a collector
// with nothing to say says nothing.
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

// Note adds a note for the run under ctx (nothing when no one gathers
// them): one line, without secrets, written for the person reading the
// run. Repeated notes are kept once; past MaxNotes they are dropped.
func Note(ctx context.Context, format string, args ...any) {
	n, _ := ctx.Value(notesKey{}).(*Notes)
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
