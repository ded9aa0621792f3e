package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// correctiveSource is where a corrective action came from, in words, and
// the page that shows it ("" when the reader may not open it).
type correctiveSource struct {
	Label string
	Href  string
}

// correctiveSources names the source of each action of rows, reading the
// monitoring findings once when an action came from one.
func correctiveSources(ctx context.Context, p *httpkit.Principal, rows []correctiveRow) error {
	var findings map[int64]assay.Finding
	for i := range rows {
		r := &rows[i]
		ref := r.SourceRef
		switch {
		case r.IncidentID != 0:
			r.From = correctiveSource{Label: ref, Href: fmt.Sprintf("/incidents/%d", r.IncidentID)}
		case strings.HasPrefix(ref, "access-review:"):
			// access-review:<review>/<system>/<account>
			id, rest, _ := strings.Cut(strings.TrimPrefix(ref, "access-review:"), "/")
			system, account, _ := strings.Cut(rest, "/")
			r.From = correctiveSource{Label: "Access review " + id + ": " + system + ", " + account}
			if n, err := strconv.ParseInt(id, 10, 64); err == nil && p.User.Can(assay.ActionReadPeople, nil) {
				r.From.Href = fmt.Sprintf("/access-reviews/%d", n)
			}
		case strings.HasPrefix(ref, "finding:"):
			id, err := strconv.ParseInt(strings.TrimPrefix(ref, "finding:"), 10, 64)
			if findings == nil {
				list, ferr := p.Org.Findings(ctx, false)
				if ferr != nil {
					return ferr
				}
				findings = make(map[int64]assay.Finding, len(list))
				for _, f := range list {
					findings[f.ID] = f
				}
			}
			f, ok := findings[id]
			if err != nil || !ok {
				r.From = correctiveSource{Label: "A monitoring finding"}
				continue
			}
			what := f.ResourceName
			if what == "" {
				what = f.ResourceID
			}
			label := "Check " + f.CheckID
			if what != "" {
				label += " failing on " + what
			}
			r.From = correctiveSource{Label: label, Href: "/monitoring/checks/" + f.CheckID}
		case strings.HasPrefix(ref, "Audit "):
			r.From = correctiveSource{Label: ref}
			num, _, _ := strings.Cut(strings.TrimPrefix(ref, "Audit "), " ")
			if n, err := strconv.ParseInt(num, 10, 64); err == nil {
				r.From.Href = fmt.Sprintf("/audits/%d", n)
			}
		default:
			r.From = correctiveSource{Label: ref}
		}
	}
	return nil
}
