package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// inviteUserForm adds a person and e-mails them a link to choose their
// own password (7 days, once), instead of a password passed on by hand.
func (s *Server) inviteUserForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	in := app.NewInvite{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: assay.Role(r.PostFormValue("role"))}
	if _, err := s.app.InviteUser(r.Context(), p.App(), in, s.linkOrigin(r)); err != nil {
		nu := assay.NewUser{Email: in.Email, Name: in.Name, Role: in.Role}
		if c := assay.ErrorCode(err); c == assay.EINVALID || c == assay.ECONFLICT {
			return s.showUsers(w, r, p, http.StatusBadRequest, assay.ErrorMessage(err), &nu)
		}
		return err
	}
	http.Redirect(w, r, "/settings/users?flash=user-invited", http.StatusSeeOther)
	return nil
}
