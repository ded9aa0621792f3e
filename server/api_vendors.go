package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
)

// vendorBody is a vendor as the API and forms send it.
type vendorBody struct {
	Name               string   `json:"name"`
	Services           string   `json:"services"`
	DataShared         string   `json:"data_shared"`
	Classification     string   `json:"classification"`
	Criticality        string   `json:"criticality"`
	OwnerID            int64    `json:"owner_id"`
	ContractStart      string   `json:"contract_start"`
	ContractEnd        string   `json:"contract_end"`
	Subprocessor       bool     `json:"subprocessor"`
	TierOverride       string   `json:"tier_override"`
	TierOverrideReason string   `json:"tier_override_reason"`
	SOC2EvidenceID     int64    `json:"soc2_evidence_id"`
	SOC2PeriodEnd      string   `json:"soc2_period_end"`
	Clauses            []string `json:"clauses"`
}

func (b vendorBody) vendor() (assay.Vendor, error) {
	v := assay.Vendor{Name: b.Name, Services: b.Services, DataShared: b.DataShared, Classification: assay.DataClass(b.Classification),
		Criticality: b.Criticality, OwnerID: b.OwnerID, Subprocessor: b.Subprocessor, TierOverride: b.TierOverride,
		TierOverrideReason: b.TierOverrideReason, SOC2EvidenceID: b.SOC2EvidenceID, Clauses: b.Clauses}
	var err error
	for _, f := range []struct {
		dst   **time.Time
		field string
		val   string
	}{{&v.ContractStart, "contract_start", b.ContractStart}, {&v.ContractEnd, "contract_end", b.ContractEnd}, {&v.SOC2PeriodEnd, "soc2_period_end", b.SOC2PeriodEnd}} {
		if *f.dst, err = parseDate(f.field, f.val); err != nil {
			return v, err
		}
	}
	v.Normalize()
	return v, v.Validate()
}

type vendorView = app.VendorView

func viewVendor(v assay.Vendor, now time.Time) vendorView { return app.ViewVendor(v, now) }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// GET /api/v1/vendors
func (s *Server) apiVendors(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.Vendors(r.Context(), p.app())
	if err != nil {
		return err
	}
	now := s.clock.Now()
	out := make([]vendorView, len(list))
	for i, v := range list {
		out[i] = viewVendor(v, now)
	}
	writeJSON(w, http.StatusOK, map[string]any{"vendors": out, "count": len(out)})
	return nil
}

// POST /api/v1/vendors
func (s *Server) apiCreateVendor(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b vendorBody
	err := s.decodeJSON(w, r, &b)
	if err == nil {
		var v assay.Vendor
		if v, err = b.vendor(); err == nil {
			var got []assay.Vendor
			if got, err = s.app.CreateVendors(r.Context(), p.app(), []assay.Vendor{v}); err == nil {
				w.Header().Set("Location", "/api/v1/vendors/"+strconv.FormatInt(got[0].ID, 10))
				writeJSON(w, http.StatusCreated, viewVendor(got[0], s.clock.Now()))
				return nil
			}
		}
	}
	return err
}

// GET /api/v1/vendors/{id}
func (s *Server) apiVendor(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Vendor")
	if err == nil {
		var v assay.Vendor
		if v, err = s.app.Vendor(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, viewVendor(v, s.clock.Now()))
			return nil
		}
	}
	return err
}

// PUT /api/v1/vendors/{id}
func (s *Server) apiUpdateVendor(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b vendorBody
	id, err := pathID(r, "Vendor")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	if err == nil {
		var after assay.Vendor
		if after, err = s.updateVendor(r, p, id, b); err == nil {
			writeJSON(w, http.StatusOK, viewVendor(after, s.clock.Now()))
			return nil
		}
	}
	return err
}

func (s *Server) updateVendor(r *http.Request, p *principal, id int64, b vendorBody) (assay.Vendor, error) {
	if err := s.app.MayEditVendor(r.Context(), p.app(), id); err != nil {
		return assay.Vendor{}, err
	}
	v, err := b.vendor()
	if err != nil {
		return v, err
	}
	return s.app.UpdateVendor(r.Context(), p.app(), id, v)
}

// GET /api/v1/vendor-questions
func (s *Server) apiVendorQuestions(w http.ResponseWriter, r *http.Request, p *principal) error {
	qs, err := catalog.VendorQuestions()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"questions": qs, "count": len(qs)})
	return nil
}

// POST /api/v1/vendors/{id}/review with {"answers": {"VQ-01": "yes", ...}}
func (s *Server) apiReviewVendor(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		Answers map[string]string `json:"answers"`
	}
	id, err := pathID(r, "Vendor")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	if err == nil {
		var v assay.Vendor
		if v, err = s.reviewVendor(r, p, id, b.Answers); err == nil {
			writeJSON(w, http.StatusOK, viewVendor(v, s.clock.Now()))
			return nil
		}
	}
	return err
}

func (s *Server) reviewVendor(r *http.Request, p *principal, id int64, answers map[string]string) (assay.Vendor, error) {
	return s.app.ReviewVendor(r.Context(), p.app(), id, answers)
}
