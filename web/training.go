package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /training: courses with their completion figures, assignments, and
// the forms to add courses, assign them and import completion records.
func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showTraining(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	ctx := r.Context()
	figures, err := s.app.Courses(ctx, p.App())
	if err != nil {
		return err
	}
	courses := make([]assay.Course, len(figures))
	for i, f := range figures {
		courses[i] = f.Course
	}
	list, err := s.app.TrainingAssignments(ctx, p.App(), assay.TrainingFilter{})
	if err != nil {
		return err
	}
	roster, err := s.app.People(ctx, p.App(), app.PeopleFilter{})
	if err != nil {
		return err
	}
	now := s.clock.Now()
	statusFilter := r.URL.Query().Get("status")
	shown := []assay.TrainingAssignment{}
	for _, a := range list {
		if statusFilter == "overdue" && !a.OverdueAt(now) || statusFilter != "" && statusFilter != "overdue" && string(a.Status) != statusFilter {
			continue
		}
		shown = append(shown, a)
	}
	s.render(w, r, status, "training", pageData{Title: "Training", Nav: "training", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")], Data: trainingData{
		Courses: courses, Figures: figures, Assignments: shown, Departments: roster.Departments,
		Status: statusFilter, Statuses: assay.TrainingStatuses, Form: form, Now: now,
		DefaultDue: now.AddDate(0, 0, 30).Format(assay.DateLayout), CanManage: p.User.Can(assay.ActionManagePeople, nil),
	}})
	return nil
}

// trainingData is the training page's data.
type trainingData struct {
	Courses     []assay.Course
	Figures     []assay.CourseFigures
	Assignments []assay.TrainingAssignment // those the status filter shows
	Departments []string
	Status      string // the status filter: a status, "overdue" or ""
	Statuses    []assay.TrainingStatus
	Form        url.Values
	Now         time.Time
	DefaultDue  string // the assign form's due date, as YYYY-MM-DD
	CanManage   bool
}

// courseForm reads a course from a form.
func courseForm(form url.Values) (assay.NewCourse, error) {
	n := assay.NewCourse{Name: form.Get("name"), Link: form.Get("link"), Description: form.Get("description"),
		Attestation: form.Get("attestation"), RequiredAtHire: form.Get("required_at_hire") == "on", Security: form.Get("security") == "on"}
	if v := strings.TrimSpace(form.Get("renewal_months")); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil {
			return n, assay.Invalid("renewal_months", "Renewal must be a whole number of months.")
		}
		n.RenewalMonths = &m
	}
	return n, nil
}

func (s *Server) trainingFormDone(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/training?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showTraining(w, r, p, status, msg, r.PostForm)
	})
}

// POST /training/courses
func (s *Server) createCourseForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := courseForm(r.PostForm)
	if err == nil {
		_, err = s.app.CreateCourse(r.Context(), p.App(), n)
	}
	return s.trainingFormDone(w, r, p, err, "course")
}

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

// POST /training/assignments: a course to every active person, or one department.
func (s *Server) assignTrainingForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := assignmentForm(r.PostForm)
	if err == nil {
		_, err = s.app.AssignTraining(r.Context(), p.App(), n)
	}
	return s.trainingFormDone(w, r, p, err, "assigned")
}

// POST /training/completions/import: completion records CSV, all or none.
func (s *Server) importCompletionsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := input.FormCSV(r, "csv", "file")
	if err == nil {
		_, err = csvimport.Completions(r.Context(), s.app, p.App(), text)
	}
	return s.trainingFormDone(w, r, p, err, "completions")
}
