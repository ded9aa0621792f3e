package server

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
)

// Custom checks after they are made: changed and deleted on the check's
// page and through the API. Library checks can be neither.

// monitoringFlash are the monitoring pages' confirmations.
var monitoringFlash = map[string]string{
	"check-saved":   "Check saved.",
	"check-deleted": "Custom check deleted. Its history is kept; its open findings are closed.",
}

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
func (s *Server) apiUpdateCheck(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	var in checkPatch
	err := s.decodeJSON(w, r, &in)
	var c assay.Check
	if err == nil {
		c, err = s.customCheckOf(r.Context(), p, id)
	}
	if err == nil {
		c, err = in.apply(c)
	}
	if err == nil {
		c, err = s.updateCustomCheck(r.Context(), p, id, c)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// DELETE /api/v1/checks/{id}: delete a custom check (204). Its history
// stays; its current results end and its open findings close.
func (s *Server) apiDeleteCheck(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.deleteCustomCheck(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET /monitoring/checks/{id}/edit
func (s *Server) editCheckPage(w http.ResponseWriter, r *http.Request, p *principal) error {
	c, err := s.customCheckOf(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showCheckForm(w, r, p, http.StatusOK, "", c, true)
}

// checkFromForm reads the fields of the new and edit forms.
func checkFromForm(r *http.Request) assay.Check {
	f := r.PostForm
	return assay.Check{ID: strings.TrimSpace(f.Get("id")), Title: f.Get("title"), Kind: f.Get("kind"), Expr: f.Get("expr"),
		Severity: assay.CheckSeverity(f.Get("severity")), Reason: f.Get("reason"), Remediation: f.Get("remediation"),
		Controls: splitList(f.Get("controls"))}
}

// POST /monitoring/checks/{id}: save the edit form. A bad expression
// re-shows the form with the message (line and column) and changes nothing.
func (s *Server) updateCheckForm(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	c := checkFromForm(r)
	c.ID = id
	saved, err := s.updateCustomCheck(r.Context(), p, id, c)
	if err != nil {
		if code := assay.ErrorCode(err); code == assay.EINVALID {
			return s.showCheckForm(w, r, p, statusOf(code), formError(err), c, true)
		}
		return err
	}
	http.Redirect(w, r, "/monitoring/checks/"+saved.ID+"?flash=check-saved", http.StatusSeeOther)
	return nil
}

// POST /monitoring/checks/{id}/delete: the form must carry confirm=yes
// (the box the page asks to tick); without it nothing is deleted.
func (s *Server) deleteCheckForm(w http.ResponseWriter, r *http.Request, p *principal) error {
	id := r.PathValue("id")
	var err error
	if r.PostForm.Get("confirm") != "yes" {
		if _, err = s.customCheckOf(r.Context(), p, id); err == nil {
			err = assay.Invalid("confirm", "Tick the box to confirm that the check should be deleted.")
		}
	}
	if err == nil {
		err = s.deleteCustomCheck(r.Context(), p, id)
	}
	if assay.ErrorCode(err) == assay.EINVALID {
		return s.showCheckPage(w, r, p, http.StatusBadRequest, assay.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/monitoring?flash=check-deleted", http.StatusSeeOther)
	return nil
}

// formError is an error's message with the field it names.
func formError(err error) string {
	msg := assay.ErrorMessage(err)
	if field := errField(err); field != "" {
		msg = field + ": " + msg
	}
	return msg
}
