package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// GET /training: courses with their completion figures, assignments, and
// the forms to add courses, assign them and import completion records.
func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showTraining(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "training", func() (pageData, error) {
		ctx := r.Context()
		p = s.sharedReads(r.Context(), p) // the figures and the list read the assignments once
		figures, err := s.app.Courses(ctx, p.App())
		if err != nil {
			return pageData{}, err
		}
		courses := make([]assay.Course, len(figures))
		for i, f := range figures {
			courses[i] = f.Course
		}
		list, err := s.app.TrainingAssignments(ctx, p.App(), assay.TrainingFilter{})
		if err != nil {
			return pageData{}, err
		}
		departments, err := s.app.Departments(ctx, p.App())
		if err != nil {
			return pageData{}, err
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
		page, pg := pageOf(r, shown, listRows)
		return pageData{Title: "Training", Nav: "training", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")], Data: trainingData{
			Courses: courses, Figures: figures, Assignments: page, Pager: pg, Departments: departments,
			Status: statusFilter, Statuses: assay.TrainingStatuses, Form: form, Now: now,
			DefaultDue: now.AddDate(0, 0, 30).Format(assay.DateLayout), CanManage: p.User.Can(assay.ActionManagePeople, nil),
		}}, nil
	})
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
	Pager       pager // Assignments is one page of those shown
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
