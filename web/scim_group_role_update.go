package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// updateSCIMGroupRoleForm maps a group to a role, or removes the mapping.
func (s *Server) updateSCIMGroupRoleForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	m := assay.SCIMGroupRole{DisplayName: r.PostFormValue("group"), Role: assay.Role(r.PostFormValue("role"))}
	if err := s.app.SetSCIMGroupRole(r.Context(), p.App(), m); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID {
			return err
		}
		return s.showSCIM(w, r, p, http.StatusBadRequest, "", assay.ErrorMessage(err), "")
	}
	http.Redirect(w, r, "/settings/scim?flash=mapped", http.StatusSeeOther)
	return nil
}
