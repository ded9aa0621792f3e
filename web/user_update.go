package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// updateUserForm changes a user's role, disables or enables them, or
// resets their two-step sign-in.
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
	case r.PostFormValue("reset_mfa") == "true":
		err = s.app.ResetUserMFA(ctx, p.App(), id)
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
