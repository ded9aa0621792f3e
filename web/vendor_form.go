package web

import (
	"fmt"
	"net/http"
	"net/url"

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

func (s *Server) afterVendorsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showVendors(w, r, p, status, msg, r.PostForm)
	})
}

// afterVendorForm goes to the vendor with the flash, or shows its page
// again with the error and, for the edit form, what was typed (form).
func (s *Server) afterVendorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string, form url.Values) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/vendors/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showVendor(w, r, p, status, msg, form)
	})
}
