package web

import (
	"html/template"
	"strings"

	"github.com/assay-platform/assay"
)

// controlOptions writes an <option> per control ("ID · name"), the one
// whose id is selected marked so. Pages that let one choose among an
// organisation's controls list hundreds of them; written here rather than
// by a template range, they cost a few microseconds instead of a
// millisecond or more per page.
func controlOptions(controls []assay.Control, selected string) template.HTML {
	var b strings.Builder
	b.Grow(len(controls) * 80)
	for _, c := range controls {
		id := template.HTMLEscapeString(c.ID)
		b.WriteString("\n<option value=\"")
		b.WriteString(id)
		b.WriteByte('"')
		if c.ID == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(id)
		b.WriteString(" · ")
		b.WriteString(template.HTMLEscapeString(c.Name))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) // #nosec G203 -- every value is escaped above
}

// correctiveStatusOptions writes the statuses a corrective action's row
// offers, cur selected; verifying is for those who manage (canManage). A
// list of a hundred actions writes one such list per row.
func correctiveStatusOptions(cur assay.CorrectiveStatus, canManage bool) template.HTML {
	var b strings.Builder
	for _, st := range assay.CorrectiveStatuses {
		if st == assay.CorrectiveVerified && !canManage {
			continue
		}
		v := template.HTMLEscapeString(string(st))
		b.WriteString("\n<option value=\"")
		b.WriteString(v)
		b.WriteByte('"')
		if st == cur {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(template.HTMLEscapeString(titleCase(string(st))))
		b.WriteString("</option>")
	}
	return template.HTML(b.String()) // #nosec G203 -- every value is escaped above
}
