package web

import (
	"context"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// policyView is a policy as the pages and the API show it.
type policyView = app.PolicyView

func (s *Server) policyViews(ctx context.Context, p *httpkit.Principal) ([]policyView, error) {
	return s.app.Policies(ctx, p.App())
}

func (s *Server) policiesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	views, err := s.policyViews(r.Context(), p)
	if err != nil {
		return err
	}
	due, overdue := 0, 0
	for _, v := range views {
		switch v.ReviewState {
		case "due":
			due++
		case "overdue":
			overdue++
		}
	}
	s.render(w, r, http.StatusOK, "policies", pageData{Title: "Policies", Nav: "policies", Flash: policyFlash[r.URL.Query().Get("flash")],
		Data: policiesData{Policies: views, Due: due, Overdue: overdue, CanManage: p.User.Can(assay.ActionManagePolicies, nil)}})
	return nil
}

// policiesData is the policies page's data.
type policiesData struct {
	Policies  []policyView
	Due       int
	Overdue   int
	CanManage bool
}
