package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/policies: every policy with its latest and published
// version, review state and acceptance figure.
func (s *Server) apiPolicies(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	views, err := s.app.Policies(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"policies": views, "count": len(views)})
	return nil
}

// GET /api/v1/policy-templates
func (s *Server) apiPolicyTemplates(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	tpls, err := s.app.PolicyTemplates(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"templates": tpls, "count": len(tpls)})
	return nil
}

// POST /api/v1/policies: adopt a template ({"template_id", "owner_id",
// "review_months", "applies_to"}) or a policy of one's own ({"title",
// "body", "controls", ...}).
func (s *Server) apiAdoptPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var req app.PolicyAdoption
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &req)
	var pol assay.Policy
	if err == nil {
		pol, err = s.app.AdoptPolicy(r.Context(), p.App(), req)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, pol)
	return nil
}

// GET /api/v1/policies/{id}: the policy and all its versions.
func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var d app.PolicyDetail
	if err == nil {
		d, err = s.app.Policy(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PATCH /api/v1/policies/{id}: title, owner_id, applies_to, review_months.
func (s *Server) apiUpdatePolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var patch assay.PolicyPatch
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &patch)
	}
	var pol assay.Policy
	if err == nil {
		pol, err = s.app.UpdatePolicy(r.Context(), p.App(), id, patch)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, pol)
	return nil
}

// POST /api/v1/policies/{id}/versions: {"body", "changelog", "bump"}. It
// edits the open draft, or starts a new minor or major version.
func (s *Server) apiEditPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var e assay.PolicyEdit
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &e)
	}
	var v assay.PolicyVersion
	if err == nil {
		v, err = s.app.EditPolicy(r.Context(), p.App(), id, e)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

// POST /api/v1/policies/{id}/transitions: {"version_id", "to"} with to one
// of draft, in_review, approved, published, retired.
func (s *Server) apiMovePolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var req struct {
		VersionID int64              `json:"version_id"`
		To        assay.PolicyStatus `json:"to"`
	}
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &req)
	}
	var v assay.PolicyVersion
	if err == nil {
		v, err = s.app.MovePolicyVersion(r.Context(), p.App(), id, req.VersionID, req.To)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

// POST /api/v1/policies/{id}/review: a review without changes.
func (s *Server) apiReviewPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var pol assay.Policy
	if err == nil {
		pol, err = s.app.ReviewPolicy(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, pol)
	return nil
}

// policyIDOrAll is the {id} of the path, or 0 on the organisation-wide routes.
func policyIDOrAll(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return input.PathID(r, "Policy")
}

// GET /api/v1/policies/{id}/acceptances and /api/v1/policies/acceptances
func (s *Server) apiPolicyAcceptances(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := policyIDOrAll(r)
	k, kerr := keysetFrom(r.URL.Query())
	if err == nil {
		err = kerr
	}
	var after int64
	if err == nil {
		after, err = idAfter(k)
	}
	var list app.PolicyAcceptances
	var more bool
	if err == nil { // paged in the store: only the page is read
		list, more, err = s.app.PolicyAcceptancesPage(r.Context(), p.App(), id, after, k.limit)
	}
	if err != nil {
		return err
	}
	page, next := list.Acceptances, ""
	if more && len(page) > 0 {
		next = cursorOf(idKey(page[len(page)-1].ID))
	}
	httpkit.WriteJSON(w, http.StatusOK, pageFields(map[string]any{"acceptances": page, "figures": list.Figures}, len(page), next))
	return nil
}

// POST /api/v1/policies/{id}/acceptances: {"person_id", "version_id"},
// an acceptance recorded by an admin on the person's behalf (a signed
// paper copy, for example).
func (s *Server) apiRecordAcceptance(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	var req struct {
		PersonID  int64 `json:"person_id"`
		VersionID int64 `json:"version_id"`
	}
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &req)
	}
	var a assay.PolicyAcceptance
	if err == nil {
		a, err = s.app.RecordPolicyAcceptance(r.Context(), p.App(), id, req.PersonID, req.VersionID)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, a)
	return nil
}

// GET /api/v1/policies/acceptances.csv and /api/v1/policies/{id}/acceptances.csv
func (s *Server) policyAcceptancesCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := policyIDOrAll(r)
	var list []assay.PolicyAcceptance
	if err == nil {
		var got app.PolicyAcceptances
		got, err = s.app.PolicyAcceptances(r.Context(), p.App(), id)
		list = got.Acceptances
	}
	if err != nil {
		return err
	}
	rows := [][]string{{"policy_id", "policy", "version", "person_id", "person", "email", "accepted_at", "recorded_by"}}
	for _, a := range list {
		at := a.AcceptedAt
		rows = append(rows, []string{strconv.FormatInt(a.PolicyID, 10), a.PolicyTitle, a.Version, strconv.FormatInt(a.PersonID, 10),
			a.PersonName, a.PersonEmail, csvTime(&at), a.ByName})
	}
	name := "policy-acceptances.csv"
	if id != 0 {
		name = fmt.Sprintf("policy-%d-acceptances.csv", id)
	}
	writeCSV(w, name, rows)
	return nil
}
