package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) updateSystemForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var d assay.SystemDescription
	for _, sec := range assay.SystemSections {
		d.SetSection(sec.Key, strings.TrimSpace(r.PostFormValue(sec.Key)))
	}
	names, services, methods, controls := r.PostForm["sub_name"], r.PostForm["sub_services"], r.PostForm["sub_method"], r.PostForm["sub_controls"]
	d.Subservices = []assay.SubserviceOrg{}
	for i := range names {
		sub := assay.SubserviceOrg{Name: strings.TrimSpace(names[i])}
		if i < len(services) {
			sub.Services = strings.TrimSpace(services[i])
		}
		if i < len(methods) {
			sub.Method = methods[i]
		}
		if i < len(controls) {
			sub.Controls = strings.TrimSpace(controls[i])
		}
		if sub.Name == "" && sub.Services == "" && sub.Controls == "" {
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
