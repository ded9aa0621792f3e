package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) updateCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Corrective action")
	var patch assay.CorrectivePatch
	if v := r.PostFormValue("status"); v != "" {
		st := assay.CorrectiveStatus(v)
		patch.Status = &st
	}
	if v, ok := r.PostForm["verification_notes"]; ok {
		patch.VerificationNotes = &v[0]
	}
	if err == nil {
		_, err = s.app.UpdateCorrectiveAction(r.Context(), p.App(), id, patch)
	}
	return s.afterCorrectiveForm(w, r, p, err, "saved")
}
