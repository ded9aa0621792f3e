package web

import (
	"net/http"

	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /training/completions/import: completion records CSV, all or none.
func (s *Server) importCompletionsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := input.FormCSV(r, "csv", "file")
	if err == nil {
		_, err = csvimport.Completions(r.Context(), s.app, p.App(), text)
	}
	return s.trainingFormDone(w, r, p, err, "completions")
}
