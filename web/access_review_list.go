package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) accessReviewsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAccessReviews(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showAccessReviews(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	list, err := s.app.AccessReviews(r.Context(), p.App())
	if err != nil {
		return err
	}
	controls, err := p.Org.Controls(r.Context(), assay.ControlFilter{})
	if err != nil {
		return err
	}
	now := s.clock.Now()
	s.render(w, r, status, "access_reviews", pageData{Title: "Access reviews", Nav: "access", Error: errMsg, Flash: accessFlash[r.URL.Query().Get("flash")],
		Data: accessReviewsData{Reviews: list, Now: now, Form: form,
			Condition: assay.AccessReviewCondition(now, list, nil, controls)("CC6.2"),
			CanManage: app.MayManageAccessReviews(p.App()) == nil}})
	return nil
}

// accessReviewsData is the access reviews page's data.
type accessReviewsData struct {
	Reviews   []assay.AccessReview
	Now       time.Time
	Form      url.Values
	Condition string // why CC6.2 is not met, or ""
	CanManage bool
}
