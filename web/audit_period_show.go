package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// periodRows is how many controls one page of the period view shows: a
// control with many exceptions takes several kilobytes.
const periodRows = 20

// periodData is the period view's page data: one page of the controls in
// scope, each with its evidence, status changes, automated testing,
// exceptions and requests in the audit's period.
type periodData struct {
	Audit        assay.Audit
	Criteria     []assay.PeriodCriteria
	Availability []assay.PeriodAvailability
	Controls     []assay.PeriodControl
	Pager        pager
	Only         string // "exceptions": only the controls with exceptions
	Control      string // one control asked for by id
	InScope      int
	Excepted     int // controls with exceptions
	Exceptions   int // exceptions in all
	CanCorrect   bool
}

// auditPeriodPage is the engagement's period view, on its own page (the
// engagement's page summarises it): paged, or one control, or only the
// controls with exceptions.
func (s *Server) auditPeriodPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	period, err := s.app.AuditPeriod(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := periodData{Audit: period.Audit, Criteria: period.Criteria, Availability: period.Availability, InScope: len(period.Controls),
		Control: q.Get("control"), CanCorrect: p.User.Can(assay.ActionManageIncidents, nil)}
	if q.Get("only") == "exceptions" {
		d.Only = "exceptions"
	}
	var shown []assay.PeriodControl
	for _, c := range period.Controls {
		if len(c.Exceptions) > 0 {
			d.Excepted++
			d.Exceptions += len(c.Exceptions)
		}
		switch {
		case d.Control != "":
			if c.ID == d.Control {
				shown = append(shown, c)
			}
		case d.Only == "" || len(c.Exceptions) > 0:
			shown = append(shown, c)
		}
	}
	if d.Control != "" && len(shown) == 0 {
		return assay.Errorf(assay.ENOTFOUND, "Control %s is not in this engagement's scope.", d.Control)
	}
	d.Controls, d.Pager = pageOf(r, shown, periodRows)
	s.render(w, r, http.StatusOK, "audit_period", pageData{Title: "Period view: " + period.Audit.Name, Nav: "audits", Data: d})
	return nil
}
