package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// evidenceControlsForm attaches (the "attach" field: ids separated by
// commas) or detaches (a button's "detach" value).
func (s *Server) evidenceControlsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	attach := input.SplitList(r.PostForm.Get("attach"))
	var detach []string
	if d := strings.TrimSpace(r.PostForm.Get("detach")); d != "" {
		detach = []string{d}
	}
	if _, err := s.app.UpdateEvidenceControls(r.Context(), p.App(), id, attach, detach); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showEvidence(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
