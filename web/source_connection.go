package web

import (
	"net/http"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /monitoring/sources/{id}/test: "Test connection" collects once with
// the stored settings and secrets and shows what happened on the source's
// page, recording nothing.
func (s *Server) testSourceForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Source")
	if err == nil && s.cfg.Monitor == nil {
		err = app.ErrNoMonitor
	}
	if err != nil {
		return err
	}
	test, err := s.cfg.Monitor.TestSource(r.Context(), p.Org, id)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showSource(w, r, p, status, msg)
		})
	}
	return s.showSourceTested(w, r, p, http.StatusOK, "", &test)
}
