package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

type controlList struct {
	Controls []assay.Control `json:"controls"`
	Count    int             `json:"count"`
	Next     string          `json:"next,omitempty"` // the cursor of the next page
}

// GET /api/v1/controls?category=&criterion=&status=&owner=&q=&limit=
func (s *Server) apiControls(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.ControlFilter(r.URL.Query(), p.User.ID)
	if err != nil {
		return err
	}
	k, err := keysetFrom(r.URL.Query())
	if err != nil {
		return err
	}
	controls, err := s.app.Controls(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	controls, next := pageByKey(controls, func(c assay.Control) string { return c.ID }, k)
	httpkit.WriteJSON(w, http.StatusOK, controlList{Controls: controls, Count: len(controls), Next: next})
	return nil
}

// GET /api/v1/controls/{id}
func (s *Server) apiControl(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c, err := s.app.Control(r.Context(), p.App(), r.PathValue("id"))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// PATCH /api/v1/controls/{id} with any of status, justification, notes,
// owner_id, criteria, name, description, evidence, frequency, kind.
func (s *Server) apiUpdateControl(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var patch assay.ControlPatch
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &patch); err != nil {
		return err
	}
	c, err := s.app.UpdateControl(r.Context(), p.App(), r.PathValue("id"), patch)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

type newControlBody struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Evidence    string   `json:"evidence"`
	OwnerRole   string   `json:"owner_role"`
	OwnerID     int64    `json:"owner_id"`
	Frequency   string   `json:"frequency"`
	Kind        string   `json:"kind"`
	Criteria    []string `json:"criteria"`
}

// POST /api/v1/controls adds a custom control.
func (s *Server) apiCreateControl(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b newControlBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	c := assay.NewCustomControl(b.ID, b.Name, b.Description, b.Criteria)
	c.Evidence, c.OwnerID = b.Evidence, b.OwnerID
	if b.OwnerRole != "" {
		c.OwnerRole = b.OwnerRole
	}
	if b.Frequency != "" {
		c.Frequency = b.Frequency
	}
	if b.Kind != "" {
		c.Kind = b.Kind
	}
	out, err := s.app.CreateControl(r.Context(), p.App(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/controls/"+out.ID)
	httpkit.WriteJSON(w, http.StatusCreated, out)
	return nil
}
