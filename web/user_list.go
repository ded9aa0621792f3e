package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showUsers(w, r, p, http.StatusOK, "", nil)
}

// usersData is the users page's data.
type usersData struct {
	Users []assay.User
	Roles []assay.Role
	Form  assay.NewUser // the add-a-user form, without the password
	Me    int64
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, typed *assay.NewUser) error {
	users, err := s.app.Users(r.Context(), p.App())
	if err != nil {
		return err
	}
	form := assay.NewUser{Role: assay.RoleMember}
	if typed != nil {
		form = *typed
		form.Password = ""
	}
	s.render(w, r, status, "users", pageData{Title: "Users", Nav: "users", Error: errMsg, Data: usersData{
		Users: users, Roles: assay.Roles, Form: form, Me: p.User.ID,
	}})
	return nil
}
