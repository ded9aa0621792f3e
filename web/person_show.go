package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /people/{id}: details, checklists and training.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPerson(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.Person(ctx, p.App(), id)
	if err != nil {
		return err
	}
	figures, err := s.app.Courses(ctx, p.App())
	if err != nil {
		return err
	}
	courses := make([]assay.Course, len(figures))
	for i, f := range figures {
		courses[i] = f.Course
	}
	now := s.clock.Now()
	var onboarding, offboarding []app.ChecklistView
	for _, v := range d.Checklist {
		if v.Kind == assay.ChecklistOnboarding {
			onboarding = append(onboarding, v)
		} else {
			offboarding = append(offboarding, v)
		}
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "person", ObjectID: strconv.FormatInt(id, 10), Limit: 50}); err != nil {
			return err
		}
	}
	s.render(w, r, status, "person", pageData{Title: d.Name, Nav: "people", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")], Data: personData{
		Person: d.PersonView, Onboarding: onboarding, Offboarding: offboarding, Training: d.Training,
		Courses: courses, History: history, Form: form, Types: assay.EmploymentTypes, Now: now,
		CanManage: p.User.Can(assay.ActionManagePeople, nil), DefaultDue: now.AddDate(0, 0, 30).Format(assay.DateLayout),
	}})
	return nil
}

// personData is the person page's data.
type personData struct {
	Person      app.PersonView
	Onboarding  []app.ChecklistView
	Offboarding []app.ChecklistView
	Training    []assay.TrainingAssignment
	Courses     []assay.Course // every course, to assign one
	History     []assay.Activity
	Form        url.Values
	Types       []assay.EmploymentType
	Now         time.Time
	CanManage   bool
	DefaultDue  string // the assign form's due date, as YYYY-MM-DD
}
