package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// auditReportData is the report package page's data.
type auditReportData struct {
	Package    app.ReportPackage
	Admins     []assay.User // who may be named as the signer
	Form       url.Values
	CanSign    bool
	CanUpload  bool
	CanResolve bool
}

func (s *Server) auditReportPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAuditReport(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showAuditReport(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	pkg, err := s.app.AuditReportPackage(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	d := auditReportData{Package: pkg, Form: form, CanSign: p.User.Role == assay.RoleAdmin, CanUpload: p.User.Role == assay.RoleAuditor,
		CanResolve: p.User.Role == assay.RoleAdmin}
	if d.CanSign {
		users, err := s.app.Users(r.Context(), p.App())
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Role == assay.RoleAdmin && !u.Disabled {
				d.Admins = append(d.Admins, u)
			}
		}
	}
	s.render(w, r, status, "audit_report", pageData{Title: "Report package: " + pkg.Audit.Name, Nav: "audits", Error: errMsg,
		Flash: auditReportFlash[r.URL.Query().Get("flash")], Data: d})
	return nil
}

// auditReportFlash are the report page's confirmations.
var auditReportFlash = map[string]string{
	"signed":   "Sign-off recorded with the SHA-256 of the text signed.",
	"uploaded": "Report uploaded and recorded with its SHA-256.",
	"comment":  "Comment added.",
	"resolved": "Comment resolved.",
}

// afterAuditReportForm goes back to the report page, or shows it again
// with the error and what was typed.
func (s *Server) afterAuditReportForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string, form url.Values) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/audits/%d/report?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showAuditReport(w, r, p, status, msg, form)
	})
}
