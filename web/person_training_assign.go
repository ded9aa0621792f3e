package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /people/{id}/training: assign a course to this person.
func (s *Server) assignPersonTrainingForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	n, err := assignmentForm(r.PostForm)
	if err == nil {
		n.PersonIDs = []int64{id}
		_, err = s.app.AssignTraining(r.Context(), p.App(), n)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=assigned", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPerson(w, r, p, status, msg, r.PostForm)
	})
}
