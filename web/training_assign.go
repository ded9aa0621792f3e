package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// POST /training/assignments: a course to every active person, or one department.
func (s *Server) assignTrainingForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := assignmentForm(r.PostForm)
	if err == nil {
		_, err = s.app.AssignTraining(r.Context(), p.App(), n)
	}
	return s.trainingFormDone(w, r, p, err, "assigned")
}
