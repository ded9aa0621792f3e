package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /training/courses/{id}
func (s *Server) updateCourseForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Course")
	if err != nil {
		return err
	}
	n, err := courseForm(r.PostForm)
	if err == nil {
		_, err = s.app.UpdateCourse(r.Context(), p.App(), id, n)
	}
	return s.trainingFormDone(w, r, p, err, "course")
}
