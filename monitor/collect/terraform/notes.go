package terraform

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// judging is what a document is judged with besides itself: the time
// (for dates such as a Lambda runtime's deprecation) and the notes for
// the run.
type judging struct {
	now   time.Time
	noted []string
}

// maxNamed is how many types or addresses a note names before "and N more".
const maxNamed = 5

// note adds a note for the run (see monitor.Note): something the reader
// should know about how the document was judged.
func (d *doc) note(format string, args ...any) {
	d.noted = append(d.noted, fmt.Sprintf(format, args...))
}

// notes are the document's notes for the run: first whether it held
// anything the checks judge, then what the derivations noted.
func (d *doc) notes() []string {
	var out []string
	if n := d.judgedNote(); n != "" {
		out = append(out, n)
	}
	return append(out, d.noted...)
}

// judgedNote says so when the document holds no resource of a type the
// library judges, so that "0 resources" is not read as "all is well".
func (d *doc) judgedNote() string {
	what := "state"
	if d.changes.plan {
		what = "plan"
	}
	if len(d.resources) == 0 {
		return fmt.Sprintf("The %s holds no managed resources, so there was nothing to judge.", what)
	}
	var types []string
	for _, r := range d.resources {
		if judged(r.Type) {
			return ""
		}
		types = append(types, r.Type)
	}
	slices.Sort(types)
	types = slices.Compact(types)
	return fmt.Sprintf("The %s holds %d %s, none of a type Assay judges (%s).", what, len(d.resources), plural(len(d.resources), "resource", "resources"), named(types))
}

// judged reports whether the library has checks for resources of type t.
func judged(t string) bool { return slices.Contains(derivedKinds, kindAlias(t)) }

// named lists the first few names and how many more there are.
func named(list []string) string {
	if len(list) <= maxNamed {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:maxNamed], ", "), len(list)-maxNamed)
}

// noteList adds a note about the resources at addrs: one (with %s for the
// address) when there is one, many (with %d for their number, then %s for
// their addresses) otherwise.
func (d *doc) noteList(addrs []string, one, many string) {
	switch len(addrs) {
	case 0:
	case 1:
		d.note(one, addrs[0])
	default:
		d.note(many, len(addrs), named(addrs))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
