package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// monitoringCheckNewData is what the new and edit check forms show.
type monitoringCheckNewData struct {
	Editing     bool
	Form        assay.Check
	ControlsCSV string
	Controls    []assay.Control
	Severities  []assay.CheckSeverity
	Field       string
}

// showCheckForm renders the new check form, or with editing the edit form
// of the custom check form.ID.
func (s *Server) showCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form assay.Check, editing bool) error {
	field := ""
	if errMsg != "" {
		field = "form"
	}
	controls, err := p.Org.Controls(r.Context(), assay.ControlFilter{})
	if err != nil {
		return err
	}
	title := "New custom check"
	if editing {
		title = "Edit " + form.ID
	}
	s.render(w, r, status, "monitoring_check_new", pageData{Title: title, Nav: "monitoring", Error: errMsg, Data: monitoringCheckNewData{
		Editing:     editing,
		Form:        form,
		ControlsCSV: strings.Join(form.Controls, ", "),
		Controls:    controls,
		Severities:  assay.CheckSeverities,
		Field:       field,
	}})
	return nil
}

// checkFromForm reads the fields of the new and edit forms.
func checkFromForm(r *http.Request) assay.Check {
	f := r.PostForm
	return assay.Check{ID: strings.TrimSpace(f.Get("id")), Title: f.Get("title"), Kind: f.Get("kind"), Expr: f.Get("expr"),
		Severity: assay.CheckSeverity(f.Get("severity")), Reason: f.Get("reason"), Remediation: f.Get("remediation"),
		Controls: input.SplitList(f.Get("controls"))}
}

// formError is an error's message with the field it names.
func formError(err error) string {
	msg := assay.ErrorMessage(err)
	if field := errField(err); field != "" {
		msg = field + ": " + msg
	}
	return msg
}

// errField is the field an *assay.Error names, if any.
func errField(err error) string {
	var e *assay.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
