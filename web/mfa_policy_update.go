package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// updateMFAPolicyForm sets who must use two-step sign-in.
func (s *Server) updateMFAPolicyForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	pol := assay.MFAPolicy(r.PostFormValue("required_for"))
	if err := s.app.SetMFAPolicy(r.Context(), p.App(), pol); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID {
			return err
		}
		return s.showMFAPolicy(w, r, p, http.StatusBadRequest, "", assay.ErrorMessage(err))
	}
	http.Redirect(w, r, "/settings/mfa?flash=saved", http.StatusSeeOther)
	return nil
}
