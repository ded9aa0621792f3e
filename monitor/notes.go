package monitor

import (
	"fmt"
	"sync"
)

// Bounds on what a collector may note about one run.
const (
	maxNotes    = 20
	maxNoteSize = 500
)

// Notes is what a collector says about a run besides its resources: what
// it had to do to read the document as the tool wrote it (repeated
// findings merged, ...). The runner records them with the run
// (MonitorRun.Notes) and logs them. A nil *Notes takes and keeps nothing,
// so a collector notes without checking.
type Notes struct {
	mu   sync.Mutex
	list []string
}

// Add records one note (formatted as fmt.Sprintf does). Beyond 20 notes,
// or 500 bytes in one, the rest is dropped.
func (n *Notes) Add(format string, args ...any) {
	if n == nil {
		return
	}
	s := fmt.Sprintf(format, args...)
	if len(s) > maxNoteSize {
		cut := maxNoteSize
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.list) < maxNotes {
		n.list = append(n.list, s)
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
