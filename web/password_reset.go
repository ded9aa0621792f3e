package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// passwordSetData is the page where a reset or invitation link sets a password.
type passwordSetData struct {
	Token   string
	Invite  bool
	Email   string
	Invalid string // why the link cannot be used
}

func linkPurpose(r *http.Request) string {
	if r.URL.Path == "/invite" {
		return app.LinkInvite
	}
	return app.LinkReset
}

func (s *Server) passwordSetPage(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	purpose := linkPurpose(r)
	d := passwordSetData{Token: token, Invite: purpose == app.LinkInvite}
	status := http.StatusOK
	if u, err := s.app.LinkUser(r.Context(), token, purpose); err != nil {
		if c := assay.ErrorCode(err); c != assay.ENOTFOUND && c != assay.EGONE {
			return err
		}
		d.Invalid, status = assay.ErrorMessage(err), http.StatusGone
	} else {
		d.Email = u.Email
	}
	s.render(w, r, status, "password_set", pageData{Title: "Choose a password", Data: d})
	return nil
}

// setPasswordByLink sets the password, ends every session and sends the
// person to sign in with it.
func (s *Server) setPasswordByLink(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	token, purpose := r.PostFormValue("token"), linkPurpose(r)
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	d := passwordSetData{Token: token, Invite: purpose == app.LinkInvite}
	if password != confirm {
		s.render(w, r, http.StatusBadRequest, "password_set", pageData{Title: "Choose a password", Error: "The two passwords differ.", Data: d})
		return nil
	}
	if _, err := s.app.SetPasswordByLink(r.Context(), token, purpose, password); err != nil {
		switch assay.ErrorCode(err) {
		case assay.EINVALID:
			s.render(w, r, http.StatusBadRequest, "password_set", pageData{Title: "Choose a password", Error: assay.ErrorMessage(err), Data: d})
			return nil
		case assay.ENOTFOUND, assay.EGONE:
			d.Invalid = assay.ErrorMessage(err)
			s.render(w, r, http.StatusGone, "password_set", pageData{Title: "Choose a password", Data: d})
			return nil
		}
		return err
	}
	flash := "password"
	if purpose == app.LinkInvite {
		flash = "invite"
	}
	http.Redirect(w, r, "/login?flash="+flash, http.StatusSeeOther)
	return nil
}
