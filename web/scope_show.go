package web

import (
	"net/http"
	"strings"

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

func (s *Server) updateScopeForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	scope := assay.Scope{Categories: r.PostForm["category"]}
	if scope.Categories == nil {
		scope.Categories = []string{} // none ticked: security alone
	}
	if _, err := s.app.UpdateScope(r.Context(), p.App(), scope, nil); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showScope(w, r, p, status, msg, nil)
		})
	}
	http.Redirect(w, r, "/scope?flash=scope-saved", http.StatusSeeOther)
	return nil
}

func (s *Server) updateSystemForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var d assay.SystemDescription
	for _, sec := range assay.SystemSections {
		d.SetSection(sec.Key, strings.TrimSpace(r.PostFormValue(sec.Key)))
	}
	names, services, methods := r.PostForm["sub_name"], r.PostForm["sub_services"], r.PostForm["sub_method"]
	d.Subservices = []assay.SubserviceOrg{}
	for i := range names {
		sub := assay.SubserviceOrg{Name: strings.TrimSpace(names[i])}
		if i < len(services) {
			sub.Services = strings.TrimSpace(services[i])
		}
		if i < len(methods) {
			sub.Method = methods[i]
		}
		if sub.Name == "" && sub.Services == "" {
			continue // the blank row
		}
		d.Subservices = append(d.Subservices, sub)
	}
	if _, err := s.app.UpdateSystemDescription(r.Context(), p.App(), d); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showScope(w, r, p, status, msg, &d)
		})
	}
	http.Redirect(w, r, "/scope?flash=system-saved#system", http.StatusSeeOther)
	return nil
}
