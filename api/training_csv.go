package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// trainingCSVHeader is the assignments export's columns. email, course and
// completed_at carry the completion import's names, so completed rows can
// be imported elsewhere as completion records.
var trainingCSVHeader = []string{"assignment_id", "person", "email", "department", "course", "status", "overdue", "due",
	"started_at", "completed_at", "expires_at", "evidence"}

// trainingFilterFrom reads the person_id and course_id query parameters.
func trainingFilterFrom(r *http.Request) (assay.TrainingFilter, error) {
	var f assay.TrainingFilter
	for _, q := range []struct {
		name string
		dst  *int64
	}{{"person_id", &f.PersonID}, {"course_id", &f.CourseID}} {
		v := r.URL.Query().Get(q.name)
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return f, assay.Invalid(q.name, "%s must be a positive number.", q.name)
		}
		*q.dst = n
	}
	return f, nil
}

// GET /api/v1/training/assignments.csv?person_id=&course_id=: every
// assignment with its status and due date worked out now, whether it is
// overdue, and how its completion was shown.
func (s *Server) trainingCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := trainingFilterFrom(r)
	var list []assay.TrainingAssignment
	if err == nil {
		list, err = s.app.TrainingAssignments(r.Context(), p.App(), f)
	}
	var roster app.Roster
	if err == nil {
		roster, err = s.app.People(r.Context(), p.App(), app.PeopleFilter{})
	}
	if err != nil {
		return err
	}
	dept := map[int64]string{}
	for _, x := range roster.People {
		dept[x.ID] = x.Department
	}
	now := s.clock.Now()
	rows := [][]string{append([]string(nil), trainingCSVHeader...)}
	for _, a := range list {
		d := a.Derive(now)
		overdue := "no"
		if d.OverdueAt(now) {
			overdue = "yes"
		}
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.PersonName, a.PersonEmail, dept[a.PersonID], a.CourseName,
			string(d.Status), overdue, assay.FormatDate(&d.DueAt), csvTime(a.StartedAt), csvTime(a.CompletedAt), csvTime(a.ExpiresAt()), a.Evidence})
	}
	writeCSV(w, "training-assignments.csv", rows)
	return nil
}
