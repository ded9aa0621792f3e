package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// Custom checks after they are made: changed and deleted on the check's
// page and through the API. Library checks can be neither.

// monitoringFlash are the monitoring pages' confirmations.
var monitoringFlash = map[string]string{
	"check-saved":   "Check saved.",
	"check-deleted": "Custom check deleted. Its history is kept; its open findings are closed.",
}

// GET /monitoring/checks/{id}/edit
func (s *Server) editCheckPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c, err := s.app.CustomCheck(r.Context(), p.App(), r.PathValue("id"))
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
		Controls: input.SplitList(f.Get("controls"))}
}

// POST /monitoring/checks/{id}: save the edit form. A bad expression
// re-shows the form with the message (line and column) and changes nothing.
func (s *Server) updateCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	c := checkFromForm(r)
	c.ID = id
	saved, err := s.app.UpdateCustomCheck(r.Context(), p.App(), id, c)
	if err != nil {
		return reshow(err, func(status int, _ string) error {
			return s.showCheckForm(w, r, p, status, formError(err), c, true)
		})
	}
	http.Redirect(w, r, "/monitoring/checks/"+saved.ID+"?flash=check-saved", http.StatusSeeOther)
	return nil
}

// POST /monitoring/checks/{id}/delete: the form must carry confirm=yes
// (the box the page asks to tick); without it nothing is deleted.
func (s *Server) deleteCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	var err error
	if r.PostForm.Get("confirm") != "yes" {
		if _, err = s.app.CustomCheck(r.Context(), p.App(), id); err == nil {
			err = assay.Invalid("confirm", "Tick the box to confirm that the check should be deleted.")
		}
	}
	if err == nil {
		err = s.app.DeleteCustomCheck(r.Context(), p.App(), id)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showCheckPage(w, r, p, status, msg)
		})
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
