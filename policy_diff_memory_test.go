package assay

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestDiffLinesMemory compares two 5,000-line documents, a heavy revision
// and two texts with no line in common (the most changes possible), and
// checks the diff allocates a few megabytes, not the n*m table it once
// built (about 100 MB). The bound is loose; timing is not checked.
func TestDiffLinesMemory(t *testing.T) {
	old, revised := policyRevision(5000)
	var a, b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&a, "old line %d\n", i)
		fmt.Fprintf(&b, "new line %d\n", i)
	}
	for _, c := range []struct{ name, a, b string }{
		{"revision", old, revised},
		{"nothing in common", a.String(), b.String()},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		d := DiffLines(c.a, c.b)
		runtime.ReadMemStats(&after)
		if len(d) == 0 {
			t.Fatal(c.name, "empty diff")
		}
		if bytes := after.TotalAlloc - before.TotalAlloc; bytes > 10<<20 {
			t.Errorf("%s: %d bytes allocated, want under 10 MB", c.name, bytes)
		} else {
			t.Logf("%s: %d lines of diff, %d KB allocated", c.name, len(d), bytes>>10)
		}
	}
}
