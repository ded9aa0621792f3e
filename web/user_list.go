package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
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

// updateUserForm changes a user's role, or disables or enables them.
func (s *Server) updateUserForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "User not found.")
	}
	ctx := r.Context()
	switch {
	case r.PostForm.Has("role"):
		_, err = s.app.UpdateUserRole(ctx, p.App(), id, assay.Role(r.PostFormValue("role")))
	case r.PostFormValue("disabled") == "true":
		_, err = s.app.SetUserDisabled(ctx, p.App(), id, true)
	case r.PostFormValue("disabled") == "false":
		_, err = s.app.SetUserDisabled(ctx, p.App(), id, false)
	default:
		err = assay.Invalid("", "Nothing to change.")
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showUsers(w, r, p, status, msg, nil)
		})
	}
	http.Redirect(w, r, "/settings/users?flash=user-saved", http.StatusSeeOther)
	return nil
}
