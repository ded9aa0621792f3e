package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// seriesGroup is a series and its criteria, as the criteria page lists them.
type seriesGroup struct {
	ID, Title, Category string
	InScope             bool
	Criteria            []assay.CriterionReadiness
	Met                 int
}

// criteriaData is the criteria page's data.
type criteriaData struct {
	Groups    []*seriesGroup
	Readiness assay.Readiness
}

func (s *Server) criteriaPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	rd, org, _, err := s.readiness(r.Context(), p)
	if err != nil {
		return err
	}
	state := map[string]assay.CriterionReadiness{}
	for _, c := range rd.Criteria {
		state[c.ID] = c
	}
	var groups []*seriesGroup
	idx := map[string]*seriesGroup{}
	for _, c := range s.criteria {
		g := idx[c.Series]
		if g == nil {
			g = &seriesGroup{ID: c.Series, Title: c.SeriesTitle, Category: c.Category, InScope: org.Scope.Has(c.Category)}
			idx[c.Series] = g
			groups = append(groups, g)
		}
		cr, ok := state[c.ID]
		if !ok { // out of scope: listed, not judged
			cr = assay.CriterionReadiness{ID: c.ID, Category: c.Category, Series: c.Series, Title: c.Title}
		}
		if cr.Met {
			g.Met++
		}
		g.Criteria = append(g.Criteria, cr)
	}
	s.render(w, r, http.StatusOK, "criteria", pageData{Title: "Criteria", Nav: "criteria", Org: org.Name, Data: criteriaData{
		Groups: groups, Readiness: rd,
	}})
	return nil
}

// criterionData is a criterion's page data.
type criterionData struct {
	Criterion assay.Criterion
	State     *assay.CriterionReadiness // nil when out of scope
	InScope   bool
	Controls  []assay.Control
}

func (s *Server) criterionPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := strings.ToUpper(r.PathValue("id"))
	c, ok := s.criterion[id]
	if !ok {
		return assay.Errorf(assay.ENOTFOUND, "There is no criterion %q in the Trust Services Criteria.", r.PathValue("id"))
	}
	rd, org, _, err := s.readiness(r.Context(), p)
	if err != nil {
		return err
	}
	var state *assay.CriterionReadiness
	for i := range rd.Criteria {
		if rd.Criteria[i].ID == id {
			state = &rd.Criteria[i]
		}
	}
	controls, err := p.Org.Controls(r.Context(), assay.ControlFilter{Criterion: id})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "criterion", pageData{Title: c.ID + " " + c.Title, Nav: "criteria", Org: org.Name, Data: criterionData{
		Criterion: c, State: state, InScope: org.Scope.Has(c.Category), Controls: controls,
	}})
	return nil
}
