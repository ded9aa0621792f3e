package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// POST /monitoring/sources
func (s *Server) createSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	kind := r.PostForm.Get("kind")
	src, secrets, err := sourceForm(r, kind)
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		src, err = s.cfg.Monitor.CreateSource(r.Context(), p.Org, p.Actor(), src, secrets)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			// The form comes back with what was typed, never the secrets.
			form := map[string]string{"kind": kind, "name": r.PostForm.Get("name"), "interval": r.PostForm.Get("interval"), "settings": r.PostForm.Get("settings")}
			for k, v := range r.PostForm {
				if strings.HasPrefix(k, "set_") && len(v) > 0 {
					form[k] = v[0]
				}
			}
			return s.showSources(w, r, p, status, msg, form)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", src.ID), http.StatusSeeOther)
	return nil
}
