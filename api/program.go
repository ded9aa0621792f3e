package api

import (
	"net/http"
	"strconv"
	"time"

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

// GET /api/v1/readiness: the readiness document without the list of
// every control mapped to each criterion (a count instead; the controls
// missing are there), so it stays small however many controls there are;
// with ?controls=true, the whole document, as `assay readiness --json`
// prints it.
func (s *Server) apiReadiness(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	v, err := s.app.Readiness(r.Context(), p.App())
	if err != nil {
		return err
	}
	if c := r.URL.Query().Get("controls"); c == "1" || c == "true" {
		httpkit.WriteJSON(w, http.StatusOK, v.Readiness)
		return nil
	}
	httpkit.WriteJSON(w, http.StatusOK, summarizeReadiness(v.Readiness))
	return nil
}

// readinessSummary is assay.Readiness with each criterion's controls
// counted rather than listed.
type readinessSummary struct {
	ComputedAt time.Time                   `json:"computed_at"`
	Scope      []string                    `json:"scope"`
	Overall    assay.Figure                `json:"overall"`
	Categories []assay.CategoryReadiness   `json:"categories"`
	Criteria   []criterionSummary          `json:"criteria"`
	Gaps       []criterionSummary          `json:"gaps"`
	Controls   map[assay.ControlStatus]int `json:"controls_by_status"`
}

type criterionSummary struct {
	ID       string             `json:"id"`
	Category string             `json:"category"`
	Series   string             `json:"series"`
	Title    string             `json:"title"`
	Met      bool               `json:"met"`
	Reason   string             `json:"reason,omitempty"`
	Mapped   int                `json:"controls_mapped"` // the controls mapped to it (listed with ?controls=true)
	Missing  []assay.ControlRef `json:"missing,omitempty"`
}

func summarizeReadiness(rd assay.Readiness) readinessSummary {
	sum := func(list []assay.CriterionReadiness) []criterionSummary {
		out := make([]criterionSummary, len(list))
		for i, c := range list {
			out[i] = criterionSummary{ID: c.ID, Category: c.Category, Series: c.Series, Title: c.Title, Met: c.Met, Reason: c.Reason,
				Mapped: len(c.Controls), Missing: c.Missing}
		}
		return out
	}
	return readinessSummary{ComputedAt: rd.ComputedAt, Scope: rd.Scope, Overall: rd.Overall, Categories: rd.Categories,
		Criteria: sum(rd.Criteria), Gaps: sum(rd.Gaps), Controls: rd.Controls}
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
