package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/me
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	org, err := p.Org.Organization(r.Context())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"user": p.User, "organization": map[string]any{"id": org.ID, "slug": org.Slug, "name": org.Name}})
	return nil
}

// GET /api/v1/criteria?category=
func (s *Server) apiCriteria(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	cat := r.URL.Query().Get("category")
	out := []assay.Criterion{}
	known := false
	visible, err := s.app.VisibleCriteria(r.Context(), p.App())
	if err != nil {
		return err
	}
	for _, c := range visible {
		if cat == "" || c.Category == cat {
			out = append(out, c)
			known = true
		}
	}
	if cat != "" && !known {
		return assay.Invalid("category", "Unknown category %q.", cat)
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"criteria": out, "count": len(out)})
	return nil
}

// GET /api/v1/readiness
func (s *Server) apiReadiness(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	v, err := s.app.Readiness(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, v.Readiness)
	return nil
}

// GET /api/v1/scope
func (s *Server) apiScope(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	org, err := s.app.Scope(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"scope": org.Scope, "system_description": org.System})
	return nil
}

type scopeBody struct {
	Categories        []string                 `json:"categories"`
	SystemDescription *assay.SystemDescription `json:"system_description"`
}

// PUT /api/v1/scope replaces the categories and, when sent, the system description.
func (s *Server) apiUpdateScope(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b scopeBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	org, err := s.app.UpdateScope(r.Context(), p.App(), assay.Scope{Categories: b.Categories}, b.SystemDescription)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"scope": org.Scope, "system_description": org.System})
	return nil
}

// GET /api/v1/activity?type=&object=&actor=&action=&q=&from=&to=&before=&limit=
func (s *Server) apiActivity(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	q := r.URL.Query()
	f, err := input.ActivityFilter(q)
	if err != nil {
		return err
	}
	f.Limit = 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return assay.Invalid("limit", "limit must be between 1 and 1000.")
		}
		f.Limit = n
	}
	entries, err := s.app.Activity(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"activity": entries})
	return nil
}

// GET /api/v1/users
func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	users, err := s.app.Users(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}
