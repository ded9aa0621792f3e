package server

import (
	"io"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// GET /api/v1/people?status=&department=&q=&overdue=
func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := peopleFilterFrom(r.URL.Query())
	var list []personView
	if err == nil {
		list, _, err = s.roster(r.Context(), p.Org, f)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"people": list, "count": len(list)})
}

// personDetail is one person with their checklists and training.
type personDetail struct {
	personView
	Checklist []checklistView            `json:"checklist"`
	Training  []assay.TrainingAssignment `json:"training"`
}

func (s *Server) personDetail(r *http.Request, p *principal, person assay.Person) (personDetail, error) {
	now := s.clock.Now()
	training, err := p.Org.TrainingAssignments(r.Context(), assay.TrainingFilter{PersonID: person.ID})
	if err != nil {
		return personDetail{}, err
	}
	items, err := store.PersonChecklist(r.Context(), p.Org, now, person, training)
	if err != nil {
		return personDetail{}, err
	}
	d := personDetail{personView: viewPerson(person, items, now), Training: training, Checklist: []checklistView{}}
	for _, it := range items {
		d.Checklist = append(d.Checklist, checklistView{ChecklistItem: it, Overdue: it.OverdueAt(now)})
	}
	return d, nil
}

// GET /api/v1/people/{id}
func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Person")
	var person assay.Person
	if err == nil {
		person, err = p.Org.Person(r.Context(), id)
	}
	var d personDetail
	if err == nil {
		d, err = s.personDetail(r, p, person)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// POST /api/v1/people
func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request, p *principal) {
	var in personInput
	err := s.decodeJSON(w, r, &in)
	var n assay.NewPerson
	if err == nil {
		n, err = in.newPerson()
	}
	var person assay.Person
	if err == nil {
		person, err = p.Org.CreatePerson(r.Context(), p.actor(), n)
	}
	var d personDetail
	if err == nil {
		d, err = s.personDetail(r, p, person)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, d)
}

// PATCH /api/v1/people/{id}: fields present change; "end_date": "" removes it.
func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Person")
	var in personInput
	if err == nil {
		err = s.decodeJSON(w, r, &in)
	}
	var patch assay.PersonPatch
	if err == nil {
		patch, err = in.patch()
	}
	var person assay.Person
	if err == nil {
		person, err = p.Org.UpdatePerson(r.Context(), p.actor(), id, patch)
	}
	var d personDetail
	if err == nil {
		d, err = s.personDetail(r, p, person)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
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
func (s *Server) apiImportPeople(w http.ResponseWriter, r *http.Request, p *principal) {
	text, err := s.readCSVBody(w, r)
	var res assay.PeopleImportResult
	if err == nil {
		res, err = s.importPeople(r, p, text)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]personView, len(res.People))
	for i, x := range res.People {
		out[i] = viewPerson(x, nil, s.clock.Now())
	}
	writeJSON(w, http.StatusOK, map[string]any{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "people": out})
}

// POST /api/v1/checklist-items/{id} {"done": true, "note": "..."}
func (s *Server) apiChecklistItem(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Checklist item")
	var in struct {
		Done *bool  `json:"done"`
		Note string `json:"note"`
	}
	if err == nil {
		err = s.decodeJSON(w, r, &in)
	}
	if err == nil && in.Done == nil {
		err = assay.Invalid("done", "Say whether the item is done (true or false).")
	}
	var it assay.ChecklistItem
	if err == nil {
		it, err = p.Org.CompleteChecklistItem(r.Context(), p.actor(), id, *in.Done, in.Note)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, checklistView{ChecklistItem: it, Overdue: it.OverdueAt(s.clock.Now())})
}

// GET /api/v1/training/courses: courses with their completion figures.
func (s *Server) apiCourses(w http.ResponseWriter, r *http.Request, p *principal) {
	courses, err := p.Org.Courses(r.Context())
	var list []assay.TrainingAssignment
	if err == nil {
		list, err = p.Org.TrainingAssignments(r.Context(), assay.TrainingFilter{})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"courses": assay.TrainingFiguresAt(s.clock.Now(), courses, list), "count": len(courses)})
}

// POST /api/v1/training/courses
func (s *Server) apiCreateCourse(w http.ResponseWriter, r *http.Request, p *principal) {
	var n assay.NewCourse
	err := s.decodeJSON(w, r, &n)
	var c assay.Course
	if err == nil {
		c, err = p.Org.CreateCourse(r.Context(), p.actor(), n)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// PUT /api/v1/training/courses/{id}
func (s *Server) apiUpdateCourse(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Course")
	var n assay.NewCourse
	if err == nil {
		err = s.decodeJSON(w, r, &n)
	}
	var c assay.Course
	if err == nil {
		c, err = p.Org.UpdateCourse(r.Context(), p.actor(), id, n)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// GET /api/v1/training/assignments?person_id=&course_id=
func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := trainingFilterFrom(r)
	var list []assay.TrainingAssignment
	if err == nil {
		list, err = p.Org.TrainingAssignments(r.Context(), f)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": list, "count": len(list)})
}

// POST /api/v1/training/assignments {"course_id", "person_ids" | "department", "due": "YYYY-MM-DD"}
func (s *Server) apiAssignTraining(w http.ResponseWriter, r *http.Request, p *principal) {
	var in struct {
		CourseID   int64   `json:"course_id"`
		PersonIDs  []int64 `json:"person_ids"`
		Department string  `json:"department"`
		Due        string  `json:"due"`
	}
	err := s.decodeJSON(w, r, &in)
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
		list, err = p.Org.AssignTraining(r.Context(), p.actor(), n)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"assignments": list, "count": len(list)})
}

// POST /api/v1/training/completions/import with a text/csv body
// (email, course, completed_at): every row or none.
func (s *Server) apiImportCompletions(w http.ResponseWriter, r *http.Request, p *principal) {
	text, err := s.readCSVBody(w, r)
	var n int
	if err == nil {
		n, err = s.importCompletions(r, p, text)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"imported": n})
}
