package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /people: add a person by hand.
func (s *Server) createPersonForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := input.FormPersonInput(r.PostForm).NewPerson()
	if err == nil {
		var person app.PersonDetail
		if person, err = s.app.CreatePerson(r.Context(), p.App(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=added", person.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPeople(w, r, p, status, msg, r.PostForm)
	})
}
