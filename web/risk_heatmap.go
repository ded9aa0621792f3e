package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/assay-platform/assay"
)

// heatFill is the colour of a cell by the level of its score (SVG
// presentation attributes: the CSP allows no inline style).
var heatFill = map[string]string{"low": "#d7efe1", "medium": "#fbe7b5", "high": "#f7c59f", "critical": "#efa3a3"}

// heatMap draws a 5x5 likelihood x impact grid as SVG, with the number of
// open or treated risks in each cell. residual picks the scores after
// controls. Closed risks are left out.
func heatMap(risks []assay.Risk, residual bool, title string) template.HTML {
	var counts [6][6]int
	for _, r := range risks {
		if r.Status == assay.RiskClosed {
			continue
		}
		l, i := r.Likelihood, r.Impact
		if residual {
			l, i = r.ResidualLikelihood, r.ResidualImpact
		}
		if l >= 1 && l <= 5 && i >= 1 && i <= 5 {
			counts[l][i]++
		}
	}
	const cell, left, top = 44, 34, 8
	var b strings.Builder
	id := "heat-" + strings.ToLower(strings.ReplaceAll(title, " ", "-"))
	fmt.Fprintf(&b, `<svg class="heatmap" role="img" aria-labelledby="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		id, left+5*cell+4, top+5*cell+36, left+5*cell+4, top+5*cell+36)
	fmt.Fprintf(&b, `<title id="%s">%s heat map: likelihood (rows, 5 at the top) by impact (columns)</title>`, id, template.HTMLEscapeString(title))
	for l := 5; l >= 1; l-- {
		y := top + (5-l)*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#555">%d</text>`, left-8, y+cell/2+4, l)
		for i := 1; i <= 5; i++ {
			x := left + (i-1)*cell
			fill := heatFill[assay.RiskLevel(l*i)]
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#fff" stroke-width="2"><title>Likelihood %d, impact %d: %d risk(s)</title></rect>`,
				x, y, cell, cell, fill, l, i, counts[l][i])
			if n := counts[l][i]; n > 0 {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="600" text-anchor="middle" fill="#222">%d</text>`, x+cell/2, y+cell/2+5, n)
			}
		}
	}
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="middle" fill="#555">%d</text>`, left+(i-1)*cell+cell/2, top+5*cell+16, i)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="#555">Impact</text>`, left+5*cell/2, top+5*cell+32)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built only from numbers and escaped text
}
