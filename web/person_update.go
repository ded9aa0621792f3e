package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /people/{id}: edit a person (an empty end date removes it).
func (s *Server) updatePersonForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	in := input.FormPersonInput(r.PostForm)
	if r.PostFormValue("start_date") == "" {
		in.StartDate = nil
	}
	patch, err := in.Patch()
	if err == nil {
		_, err = s.app.UpdatePerson(r.Context(), p.App(), id, patch)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=saved", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPerson(w, r, p, status, msg, r.PostForm)
	})
}
