package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// criterionData is a criterion's page data.
type criterionData struct {
	Criterion assay.Criterion
	State     *assay.CriterionReadiness // nil when out of scope
	InScope   bool
	Controls  []assay.Control
}

func (s *Server) criterionPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c, err := s.app.Criterion(r.Context(), p.App(), r.PathValue("id"))
	if err != nil {
		return err
	}
	id := c.ID
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
		// An engagement auditor reaches only the criteria of their frozen scope.
		Criterion: c, State: state, InScope: org.Scope.Has(c.Category) || p.User.EngagementLimited(), Controls: controls,
	}})
	return nil
}
