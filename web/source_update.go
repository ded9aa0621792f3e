package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /monitoring/sources/{id}: change name, settings, interval, enabled
// or secrets (blank secret fields keep the stored ones).
func (s *Server) updateSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	var cur assay.Source
	if err == nil {
		cur, err = p.Org.Source(r.Context(), id)
	}
	if err != nil {
		return err
	}
	src, secrets, err := sourceForm(r, cur.Kind)
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		_, err = s.cfg.Monitor.UpdateSource(r.Context(), p.Org, p.Actor(), id, src, secrets)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
