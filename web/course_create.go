package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// POST /training/courses
func (s *Server) createCourseForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := courseForm(r.PostForm)
	if err == nil {
		_, err = s.app.CreateCourse(r.Context(), p.App(), n)
	}
	return s.trainingFormDone(w, r, p, err, "course")
}
