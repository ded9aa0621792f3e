package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditCorrectiveForm is the button on an audit's exceptions.
func (s *Server) auditCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	var c assay.CorrectiveAction
	if err == nil {
		var ex app.AuditException
		var control, text string
		if control, text, err = s.exceptionOf(r, p, id); err == nil {
			ex, err = input.AuditException(control, text, 0, "")
		}
		if err == nil {
			c, err = s.app.CorrectAuditException(r.Context(), p.App(), id, ex)
		}
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/corrective-actions?flash=created#ca-%d", c.ID), http.StatusSeeOther)
		return nil
	}
	return s.afterAuditForm(w, r, p, id, err, "")
}

// exceptionOf is the control and the text of the exception a button
// names: as the form's two fields, or as the period view's buttons send
// them, in one value "CONTROL#N" (the Nth exception of that control in
// the audit's period, whose text is read again here; the buttons share one
// form, which keeps the page small).
func (s *Server) exceptionOf(r *http.Request, p *httpkit.Principal, auditID int64) (control, text string, err error) {
	control, text = r.PostFormValue("control_id"), r.PostFormValue("exception")
	c, n, ok := strings.Cut(text, "#")
	if control != "" || !ok {
		return control, text, nil
	}
	i, convErr := strconv.Atoi(n)
	if convErr != nil {
		return control, text, nil
	}
	period, err := s.app.AuditPeriod(r.Context(), p.App(), auditID)
	if err != nil {
		return "", "", err
	}
	for _, pc := range period.Controls {
		if pc.ID == c && i >= 0 && i < len(pc.Exceptions) {
			x := pc.Exceptions[i]
			return c, fmt.Sprintf("%s from %s: %s", strings.ReplaceAll(x.Kind, "_", " "), x.From.UTC().Format("2 Jan 2006 15:04 UTC"), x.Detail), nil
		}
	}
	return "", "", assay.Invalid("exception", "Exception %s is not in this audit's period.", text)
}
