package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func vendorBodyFromForm(r *http.Request) input.VendorBody {
	_ = r.ParseForm()
	return input.VendorBody{Name: r.PostFormValue("name"), Services: r.PostFormValue("services"), DataShared: r.PostFormValue("data_shared"),
		Classification: r.PostFormValue("classification"), Criticality: r.PostFormValue("criticality"), OwnerID: registerFormID(r, "owner_id"),
		ContractStart: r.PostFormValue("contract_start"), ContractEnd: r.PostFormValue("contract_end"), Subprocessor: r.PostFormValue("subprocessor") == "yes",
		TierOverride: r.PostFormValue("tier_override"), TierOverrideReason: r.PostFormValue("tier_override_reason"),
		SOC2EvidenceID: registerFormID(r, "soc2_evidence_id"), SOC2PeriodEnd: r.PostFormValue("soc2_period_end"), Clauses: r.PostForm["clauses"]}
}

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
	list, err := s.app.Vendors(r.Context(), p.App())
	if err != nil {
		return err
	}
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return err
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
	s.render(w, r, status, "vendors", pageData{Title: "Vendors", Nav: "vendors", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: vendorsData{
		Vendors: views, Users: users, Form: form, Classes: assay.DataClasses, Tiers: assay.Tiers, Cadence: assay.ReviewCadenceMonths,
		CanManage: p.User.Can(assay.ActionManageRegisters, nil),
	}})
	return nil
}

func (s *Server) afterVendorsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showVendors(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) createVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	v, err := vendorBodyFromForm(r).Vendor()
	to := ""
	if err == nil {
		var got []assay.Vendor
		if got, err = s.app.CreateVendors(r.Context(), p.App(), []assay.Vendor{v}); err == nil {
			to = fmt.Sprintf("/vendors/%d?flash=vendor-created", got[0].ID)
		}
	}
	return s.afterVendorsForm(w, r, p, err, to)
}

func (s *Server) importVendorsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, _, err := r.FormFile("file")
	if err != nil {
		err = assay.Invalid("file", "Choose a CSV file to import.")
	} else {
		defer f.Close()
		_, err = csvimport.Vendors(r.Context(), s.app, p.App(), f)
	}
	return s.afterVendorsForm(w, r, p, err, "/vendors?flash=vendors-imported")
}

func (s *Server) vendorPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showVendor(w, r, p, http.StatusOK, "", nil)
}

// vendorData is what a vendor's page shows.
type vendorData struct {
	Vendor    app.VendorView
	Users     []assay.User
	Form      url.Values
	Classes   []assay.DataClass
	Tiers     []string
	Clauses   []string
	Questions []assay.VendorQuestion
	CanEdit   bool
	CanManage bool
}

func (s *Server) showVendor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Vendor")
	if err != nil {
		return err
	}
	v, err := s.app.Vendor(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return err
	}
	qs, err := catalog.VendorQuestions()
	if err != nil {
		return err
	}
	if form == nil {
		sub := "no"
		if v.Subprocessor {
			sub = "yes"
		}
		form = url.Values{"name": {v.Name}, "services": {v.Services}, "data_shared": {v.DataShared}, "classification": {string(v.Classification)},
			"criticality": {v.Criticality}, "owner_id": {strconv.FormatInt(v.OwnerID, 10)}, "contract_start": {input.DateText(v.ContractStart)},
			"contract_end": {input.DateText(v.ContractEnd)}, "subprocessor": {sub}, "tier_override": {v.TierOverride},
			"tier_override_reason": {v.TierOverrideReason}, "soc2_period_end": {input.DateText(v.SOC2PeriodEnd)}, "clauses": v.Clauses}
		if v.SOC2EvidenceID != 0 {
			form.Set("soc2_evidence_id", strconv.FormatInt(v.SOC2EvidenceID, 10))
		}
	}
	s.render(w, r, status, "vendor", pageData{Title: v.Name, Nav: "vendors", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: vendorData{
		Vendor: app.ViewVendor(v, s.clock.Now()), Users: users, Form: form, Classes: assay.DataClasses, Tiers: assay.Tiers,
		Clauses: assay.ContractClauses, Questions: qs, CanEdit: p.User.MayEditOwned(v.OwnerID), CanManage: p.User.Can(assay.ActionManageRegisters, nil),
	}})
	return nil
}

func (s *Server) afterVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/vendors/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showVendor(w, r, p, status, msg, nil)
	})
}

func (s *Server) updateVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		_, err = s.app.EditVendor(r.Context(), p.App(), id, vendorBodyFromForm(r).Vendor)
	}
	return s.afterVendorForm(w, r, p, id, err, "vendor-saved")
}

func (s *Server) reviewVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		_ = r.ParseForm()
		answers := map[string]string{}
		for k, v := range r.PostForm {
			if strings.HasPrefix(k, "q-") && len(v) > 0 {
				answers[strings.TrimPrefix(k, "q-")] = v[0]
			}
		}
		_, err = s.app.ReviewVendor(r.Context(), p.App(), id, answers)
	}
	return s.afterVendorForm(w, r, p, id, err, "vendor-reviewed")
}
