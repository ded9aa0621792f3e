package web

import (
	"html"
	"html/template"
	"strings"

	"github.com/assay-platform/assay/app"
)

// monitoringRows is how many checks the monitoring page shows at a time:
// each brings 30 cells.
const monitoringRows = 25

// gridCells writes a check's 30 days as one small link per cell, built
// here once per cell rather than through the template's escaping for each
// attribute: a cell links to the check's page on that day, and its title
// says what the day held (the reason is on that page).
func gridCells(checkID string, days []app.GridCell) template.HTML {
	var b strings.Builder
	b.Grow(len(days) * (90 + len(checkID)))
	id := html.EscapeString(checkID)
	for _, c := range days {
		b.WriteString(`<a class="mon-cell cell-`)
		b.WriteString(c.Result)
		b.WriteString(`" href="/monitoring/checks/`)
		b.WriteString(id)
		b.WriteString(`?day=`)
		b.WriteString(c.DayParam())
		b.WriteString(`#day" title="`)
		b.WriteString(html.EscapeString(c.ShortLabel()))
		b.WriteString(`"></a>`)
	}
	return template.HTML(b.String()) // every value above is escaped
}
