package server

import (
	"context"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// currentPerson is the roster entry of the signed-in user, matched by
// e-mail address without case. Without one it returns ENOTFOUND.
func (s *Server) currentPerson(ctx context.Context, p *principal) (assay.Person, error) {
	person, err := p.Org.PersonByEmail(ctx, p.User.Email)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return person, assay.Errorf(assay.ENOTFOUND, "Sorry, your account is not linked to anyone on the roster: ask an administrator to add %s to People.", p.User.Email)
	}
	return person, err
}

// portalTasks is what the portal shows one person: only their own tasks.
type portalTasks struct {
	Person    personView                 `json:"person"`
	Policies  []assay.PolicyVersion      `json:"policies_to_accept"`
	Tracked   bool                       `json:"policies_tracked"`
	Training  []assay.TrainingAssignment `json:"training"`
	Checklist []checklistView            `json:"checklist"`
	Open      int                        `json:"open_tasks"`
}

// tasksOf gathers a person's own tasks at now.
func (s *Server) tasksOf(ctx context.Context, p *principal, person assay.Person) (portalTasks, error) {
	now := s.clock.Now()
	training, err := p.Org.TrainingAssignments(ctx, assay.TrainingFilter{PersonID: person.ID})
	if err != nil {
		return portalTasks{}, err
	}
	items, err := store.PersonChecklist(ctx, p.Org, now, person, training)
	if err != nil {
		return portalTasks{}, err
	}
	t := portalTasks{Person: viewPerson(person, items, now), Training: training, Policies: []assay.PolicyVersion{}, Checklist: []checklistView{}}
	if pa, ok := p.Org.(store.PolicyAcceptance); ok {
		t.Tracked = true
		if t.Policies, err = pa.PoliciesToAccept(ctx, person.ID); err != nil {
			return portalTasks{}, err
		}
		t.Open += len(t.Policies)
	}
	for _, a := range training {
		if a.Status != assay.TrainingCompleted {
			t.Open++
		}
	}
	for _, it := range items {
		if it.Assignee != assay.AssigneeEmployee {
			continue
		}
		t.Checklist = append(t.Checklist, checklistView{ChecklistItem: it, Overdue: it.OverdueAt(now)})
		if !it.Done {
			t.Open++
		}
	}
	return t, nil
}

// GET /portal: the signed-in person's policies to accept, training due and
// checklist items.
func (s *Server) portalPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showPortal(w, r, p, http.StatusOK, "")
}

func (s *Server) showPortal(w http.ResponseWriter, r *http.Request, p *principal, status int, errMsg string) {
	person, err := s.currentPerson(r.Context(), p)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		s.render(w, r, http.StatusOK, "portal", pageData{Title: "My tasks", Nav: "portal", Error: assay.ErrorMessage(err),
			Data: map[string]any{"Linked": false}})
		return
	} else if err != nil {
		s.pageError(w, r, err)
		return
	}
	tasks, err := s.tasksOf(r.Context(), p, person)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "portal", pageData{Title: "My tasks", Nav: "portal", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")],
		Data: map[string]any{"Linked": true, "Tasks": tasks, "Now": s.clock.Now()}})
}

// GET /api/v1/portal: the same tasks as JSON.
func (s *Server) apiPortal(w http.ResponseWriter, r *http.Request, p *principal) {
	person, err := s.currentPerson(r.Context(), p)
	var tasks portalTasks
	if err == nil {
		tasks, err = s.tasksOf(r.Context(), p, person)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tasks)
}
