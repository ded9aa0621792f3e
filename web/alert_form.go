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

func (s *Server) afterAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, done string) error {
	if err == nil {
		_ = done
		http.Redirect(w, r, "/settings/alerts?flash=saved", http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		if f := errField(err); f != "" && !strings.Contains(strings.ToLower(msg), strings.ToLower(f)) {
			msg = f + ": " + msg
		}
		return s.showAlerts(w, r, p, status, msg, "")
	})
}
