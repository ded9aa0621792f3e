package web

import (
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
)

// assignmentForm reads a course and due date from a form.
func assignmentForm(form url.Values) (assay.NewAssignment, error) {
	courseID, err := strconv.ParseInt(form.Get("course_id"), 10, 64)
	if err != nil {
		return assay.NewAssignment{}, assay.Invalid("course_id", "Choose a course.")
	}
	due, err := assay.ParseDate("due", form.Get("due"))
	if err != nil {
		return assay.NewAssignment{}, err
	}
	n := assay.NewAssignment{CourseID: courseID, Department: form.Get("department")}
	if due != nil {
		n.Due = *due
	}
	return n, nil
}
