package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) scopePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showScope(w, r, p, http.StatusOK, "", nil)
}

// scopeData is the scope page's data.
type scopeData struct {
	Org         assay.Organization
	System      assay.SystemDescription // the saved description, or the values typed
	Sections    []assay.SystemSection
	Categories  []string
	Counts      map[string]int // criteria per category
	CanEdit     bool
	Welcome     bool // just set up
	Filled      int  // sections of the saved description written
	Total       int
	Subservices []assay.SubserviceOrg
}

func (s *Server) showScope(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, typed *assay.SystemDescription) error {
	org, err := s.app.Scope(r.Context(), p.App())
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, c := range s.criteria {
		counts[c.Category]++
	}
	system := org.System
	if typed != nil {
		system = *typed
	}
	filled, total := org.System.Completion()
	s.render(w, r, status, "scope", pageData{Title: "Scope", Nav: "scope", Org: org.Name, Error: errMsg, Data: scopeData{
		Org:         org,
		System:      system,
		Sections:    assay.SystemSections,
		Categories:  assay.Categories,
		Counts:      counts,
		CanEdit:     p.User.Can(assay.ActionEditScope, nil),
		Welcome:     r.URL.Query().Get("welcome") != "",
		Filled:      filled,
		Total:       total,
		Subservices: append(system.Subservices, assay.SubserviceOrg{Method: "carve_out"}), // one blank row to add another
	}})
	return nil
}
