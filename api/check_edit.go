package api

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// checkPatch is the JSON of a change to a custom check: fields not sent
// stay. id and custom may be sent back as they were read; the id cannot
// change.
type checkPatch struct {
	ID          *string              `json:"id"`
	Title       *string              `json:"title"`
	Kind        *string              `json:"kind"`
	Expr        *string              `json:"expr"`
	Severity    *assay.CheckSeverity `json:"severity"`
	Reason      *string              `json:"reason"`
	Remediation *string              `json:"remediation"`
	Controls    *[]string            `json:"controls"`
	Custom      *bool                `json:"custom"`
}

// apply returns c with the patch's fields.
func (in checkPatch) apply(c assay.Check) (assay.Check, error) {
	if in.ID != nil && strings.TrimSpace(*in.ID) != c.ID {
		return c, assay.Invalid("id", "A check's id cannot change; add a new check and delete this one.")
	}
	if in.Custom != nil && !*in.Custom {
		return c, assay.Invalid("custom", "A custom check stays custom.")
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.Title, in.Title)
	set(&c.Kind, in.Kind)
	set(&c.Expr, in.Expr)
	set(&c.Reason, in.Reason)
	set(&c.Remediation, in.Remediation)
	if in.Severity != nil {
		c.Severity = *in.Severity
	}
	if in.Controls != nil {
		c.Controls = *in.Controls
	}
	return c, nil
}

// PATCH /api/v1/checks/{id}: change a custom check. A bad expression is
// 400 with its position and nothing changes; a library check is 409.
func (s *Server) apiUpdateCheck(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	var in checkPatch
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	var c assay.Check
	if err == nil {
		c, err = s.app.CustomCheck(r.Context(), p.App(), id)
	}
	if err == nil {
		c, err = in.apply(c)
	}
	if err == nil {
		c, err = s.app.UpdateCustomCheck(r.Context(), p.App(), id, c)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// DELETE /api/v1/checks/{id}: delete a custom check (204). Its history
// stays; its current results end and its open findings close.
func (s *Server) apiDeleteCheck(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	if err := s.app.DeleteCustomCheck(r.Context(), p.App(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
