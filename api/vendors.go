package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/vendors
func (s *Server) apiVendors(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	k, err := keysetFrom(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := s.app.Vendors(r.Context(), p.App())
	if err != nil {
		return err
	}
	list, next := pageByKey(list, func(v assay.Vendor) string { return idKey(v.ID) }, k)
	now := s.clock.Now()
	out := make([]app.VendorView, len(list))
	for i, v := range list {
		out[i] = app.ViewVendor(v, now)
	}
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"vendors": out}, len(out), next))
	return nil
}

// POST /api/v1/vendors
func (s *Server) apiCreateVendor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.VendorBody
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	if err == nil {
		var v assay.Vendor
		if v, err = b.Vendor(); err == nil {
			var got []assay.Vendor
			if got, err = s.app.CreateVendors(r.Context(), p.App(), []assay.Vendor{v}); err == nil {
				w.Header().Set("Location", "/api/v1/vendors/"+strconv.FormatInt(got[0].ID, 10))
				httpkit.WriteJSON(w, http.StatusCreated, app.ViewVendor(got[0], s.clock.Now()))
				return nil
			}
		}
	}
	return err
}

// GET /api/v1/vendors/{id}
func (s *Server) apiVendor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		var v assay.Vendor
		if v, err = s.app.Vendor(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewVendor(v, s.clock.Now()))
			return nil
		}
	}
	return err
}

// PUT /api/v1/vendors/{id}
func (s *Server) apiUpdateVendor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.VendorBody
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	if err == nil {
		var after assay.Vendor
		if after, err = s.app.EditVendor(r.Context(), p.App(), id, b.Vendor); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewVendor(after, s.clock.Now()))
			return nil
		}
	}
	return err
}

// GET /api/v1/vendor-questions
func (s *Server) apiVendorQuestions(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	qs, err := catalog.VendorQuestions()
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"questions": qs, "count": len(qs)})
	return nil
}

// POST /api/v1/vendors/{id}/review with {"answers": {"VQ-01": "yes", ...}}
func (s *Server) apiReviewVendor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		Answers map[string]string `json:"answers"`
	}
	id, err := input.PathID(r, "Vendor")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	if err == nil {
		var v assay.Vendor
		if v, err = s.app.ReviewVendor(r.Context(), p.App(), id, b.Answers); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewVendor(v, s.clock.Now()))
			return nil
		}
	}
	return err
}
