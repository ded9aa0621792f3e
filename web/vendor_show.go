package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

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
	users, err := s.ownerChoices(r.Context(), p, v.OwnerID)
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
