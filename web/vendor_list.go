package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) vendorsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showVendors(w, r, p, http.StatusOK, "", url.Values{})
}

// vendorsData is what the vendor register page shows.
type vendorsData struct {
	Vendors   []app.VendorView
	Users     []assay.User
	Form      url.Values
	Classes   []assay.DataClass
	Tiers     []string
	Cadence   map[string]int // review months by tier
	CanManage bool
}

func (s *Server) showVendors(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "vendors", func() (pageData, error) {
		list, err := s.app.Vendors(r.Context(), p.App())
		if err != nil {
			return pageData{}, err
		}
		users, err := s.ownerChoices(r.Context(), p, 0)
		if err != nil {
			return pageData{}, err
		}
		now := s.clock.Now()
		views := make([]app.VendorView, len(list))
		for i, v := range list {
			views[i] = app.ViewVendor(v, now)
		}
		for k, v := range map[string]string{"classification": "internal", "criticality": "medium"} {
			if form.Get(k) == "" {
				form.Set(k, v)
			}
		}
		return pageData{Title: "Vendors", Nav: "vendors", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: vendorsData{
			Vendors: views, Users: users, Form: form, Classes: assay.DataClasses, Tiers: assay.Tiers, Cadence: assay.ReviewCadenceMonths,
			CanManage: p.User.Can(assay.ActionManageRegisters, nil),
		}}, nil
	})
}
