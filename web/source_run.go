package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/monitor/runner"
)

// POST /monitoring/sources/{id}/run: "Run now".
func (s *Server) runSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err == nil {
		_, err = s.cfg.Monitor.RunSource(runner.WithActor(r.Context(), p.Actor()), p.Org, id, assay.TriggerManual)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/monitoring/sources/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
