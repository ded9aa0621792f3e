package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/assay-platform/assay"
)

// portalVersion finds the published version {vid} and the signed-in
// person, and checks that the version applies to them: a person may read
// and accept only what they are asked to (or have accepted already).
func (s *Server) portalVersion(r *http.Request, p *principal) (assay.Person, assay.PolicyVersion, bool, error) {
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		return assay.Person{}, assay.PolicyVersion{}, false, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	}
	ctx := r.Context()
	person, err := s.currentPerson(ctx, p)
	if err != nil {
		return person, assay.PolicyVersion{}, false, err
	}
	v, err := p.Org.PolicyVersion(ctx, vid)
	if err != nil {
		return person, v, false, err
	}
	pol, err := p.Org.Policy(ctx, v.PolicyID)
	if err != nil {
		return person, v, false, err
	}
	if v.Status != assay.PolicyPublished || !pol.AppliesTo.Matches(person.Department, string(person.EmploymentType)) {
		return person, v, false, assay.Errorf(assay.ENOTFOUND, "Policy not found.")
	}
	todo, err := p.Org.PoliciesToAccept(ctx, person.ID)
	if err != nil {
		return person, v, false, err
	}
	pending := slices.ContainsFunc(todo, func(x assay.PolicyVersion) bool { return x.ID == v.ID })
	return person, v, pending, nil
}

// GET /portal/policies/{vid}: the policy text, then the accept button.
func (s *Server) portalPolicyPage(w http.ResponseWriter, r *http.Request, p *principal) {
	person, v, pending, err := s.portalVersion(r, p)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	body, err := renderMarkdown(v.Body)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "policy_portal", pageData{Title: v.PolicyTitle, Nav: "portal", Flash: policyFlash[r.URL.Query().Get("flash")],
		Data: map[string]any{"Version": v, "Body": body, "Pending": pending, "Person": person, "Line": approvalLine(v)}})
}

// POST /portal/policies/{vid}/accept: the signed-in person accepts.
func (s *Server) portalAcceptForm(w http.ResponseWriter, r *http.Request, p *principal) {
	person, v, _, err := s.portalVersion(r, p)
	if err == nil {
		_, err = p.Org.AcceptPolicy(r.Context(), p.actor(), person.ID, v.ID)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/policies/%d?flash=accepted", v.ID), http.StatusSeeOther)
}
