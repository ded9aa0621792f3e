package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) createUserForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	nu := assay.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: assay.Role(r.PostFormValue("role")), Password: r.PostFormValue("password")}
	if err := nu.Validate(); err != nil {
		return s.showUsers(w, r, p, http.StatusBadRequest, assay.ErrorMessage(err), &nu)
	}
	hash, err := auth.HashPassword(nu.Password, s.cfg.PasswordParams)
	if err != nil {
		return err
	}
	if _, err := p.Org.CreateUser(r.Context(), p.Actor(), nu, hash); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showUsers(w, r, p, status, msg, &nu)
		})
	}
	http.Redirect(w, r, "/settings/users?flash=user-added", http.StatusSeeOther)
	return nil
}
