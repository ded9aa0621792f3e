package api

import (
	"io"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/people?status=&department=&q=&overdue=
func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.PeopleFilterFrom(r.URL.Query())
	k, kerr := keysetFrom(r.URL.Query())
	if err == nil {
		err = kerr
	}
	var roster app.Roster
	if err == nil {
		roster, err = s.app.People(r.Context(), p.App(), f)
	}
	if err != nil {
		return err
	}
	list, next := pageByKey(roster.People, func(v app.PersonView) string { return idKey(v.ID) }, k)
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"people": list}, len(list), next))
	return nil
}

// GET /api/v1/people/{id}
func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	var d app.PersonDetail
	if err == nil {
		d, err = s.app.Person(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// POST /api/v1/people
func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var in input.PersonInput
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	var n assay.NewPerson
	if err == nil {
		n, err = in.NewPerson()
	}
	var d app.PersonDetail
	if err == nil {
		d, err = s.app.CreatePerson(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, d)
	return nil
}

// PATCH /api/v1/people/{id}: fields present change; "end_date": "" removes it.
func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	var in input.PersonInput
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	}
	var patch assay.PersonPatch
	if err == nil {
		patch, err = in.Patch()
	}
	var d app.PersonDetail
	if err == nil {
		d, err = s.app.UpdatePerson(r.Context(), p.App(), id, patch)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// readCSVBody reads a text/csv request body within the size limit.
func (s *Server) readCSVBody(w http.ResponseWriter, r *http.Request) (string, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return "", assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	return string(body), nil
}

// POST /api/v1/people/import with a text/csv body: every row or none.
func (s *Server) apiImportPeople(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := s.readCSVBody(w, r)
	var res assay.PeopleImportResult
	if err == nil {
		res, err = csvimport.People(r.Context(), s.app, p.App(), text)
	}
	if err != nil {
		return err
	}
	out := make([]app.PersonView, len(res.People))
	for i, x := range res.People {
		out[i] = app.ViewPerson(x, nil, s.clock.Now())
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "people": out})
	return nil
}

// POST /api/v1/checklist-items/{id} {"done": true, "note": "..."}
func (s *Server) apiChecklistItem(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Checklist item")
	var in struct {
		Done *bool  `json:"done"`
		Note string `json:"note"`
	}
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	}
	if err == nil && in.Done == nil {
		err = assay.Invalid("done", "Say whether the item is done (true or false).")
	}
	var it app.ChecklistView
	if err == nil {
		it, err = s.app.CompleteChecklistItem(r.Context(), p.App(), id, *in.Done, in.Note)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, it)
	return nil
}

// GET /api/v1/training/courses: courses with their completion figures.
func (s *Server) apiCourses(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	courses, err := s.app.Courses(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"courses": courses, "count": len(courses)})
	return nil
}

// POST /api/v1/training/courses
func (s *Server) apiCreateCourse(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var n assay.NewCourse
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n)
	var c assay.Course
	if err == nil {
		c, err = s.app.CreateCourse(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, c)
	return nil
}

// PUT /api/v1/training/courses/{id}
func (s *Server) apiUpdateCourse(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Course")
	var n assay.NewCourse
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n)
	}
	var c assay.Course
	if err == nil {
		c, err = s.app.UpdateCourse(r.Context(), p.App(), id, n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// GET /api/v1/training/assignments?person_id=&course_id=
func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := trainingFilterFrom(r)
	k, kerr := keysetFrom(r.URL.Query())
	if err == nil {
		err = kerr
	}
	var list []assay.TrainingAssignment
	if err == nil {
		list, err = s.app.TrainingAssignments(r.Context(), p.App(), f)
	}
	if err != nil {
		return err
	}
	list, next := pageByKey(list, func(a assay.TrainingAssignment) string { return idKey(a.ID) }, k)
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"assignments": list}, len(list), next))
	return nil
}

// POST /api/v1/training/assignments {"course_id", "person_ids" | "department", "due": "YYYY-MM-DD"}
func (s *Server) apiAssignTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var in struct {
		CourseID   int64   `json:"course_id"`
		PersonIDs  []int64 `json:"person_ids"`
		Department string  `json:"department"`
		Due        string  `json:"due"`
	}
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in)
	var due *time.Time
	if err == nil {
		due, err = assay.ParseDate("due", in.Due)
	}
	var list []assay.TrainingAssignment
	if err == nil {
		n := assay.NewAssignment{CourseID: in.CourseID, PersonIDs: in.PersonIDs, Department: in.Department}
		if due != nil {
			n.Due = *due
		}
		list, err = s.app.AssignTraining(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"assignments": list, "count": len(list)})
	return nil
}

// POST /api/v1/training/completions/import with a text/csv body
// (email, course, completed_at): every row or none.
func (s *Server) apiImportCompletions(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := s.readCSVBody(w, r)
	var n int
	if err == nil {
		n, err = csvimport.Completions(r.Context(), s.app, p.App(), text)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"imported": n})
	return nil
}
