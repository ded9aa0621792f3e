package web

import (
	"net/http"

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
	// Judged is false for an auditor invited for one engagement: the
	// organisation's readiness today is not theirs to see.
	Judged bool
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
	visible, err := s.app.VisibleCriteria(r.Context(), p.App())
	if err != nil {
		return err
	}
	for _, c := range visible {
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
		Groups: groups, Readiness: rd, Judged: !p.User.EngagementLimited(),
	}})
	return nil
}
