package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/monitor/alert"
)

// alertFields reads the "f_<name>" inputs of a kind's fields.
func alertFields(r *http.Request, kind assay.AlertKind) (settings, secrets map[string]string, err error) {
	spec, ok := alert.SpecOf(kind)
	if !ok {
		return nil, nil, assay.Invalid("kind", "Choose webhook, slack or email.")
	}
	values := map[string]string{}
	for _, f := range spec.Fields {
		if v := strings.TrimSpace(r.PostForm.Get(string(kind) + "_" + f.Name)); v != "" {
			values[f.Name] = v
		}
	}
	return alert.SplitFields(kind, values)
}

// afterAlertForm goes back to the alert channels with the confirmation
// flash (a key of flashMessage), or shows the form's error.
func (s *Server) afterAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/settings/alerts?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		if f := errField(err); f != "" && !strings.Contains(strings.ToLower(msg), strings.ToLower(f)) {
			msg = f + ": " + msg
		}
		return s.showAlerts(w, r, p, status, msg, "")
	})
}
