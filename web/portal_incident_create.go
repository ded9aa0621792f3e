package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /portal/incidents: anyone, employees included, reports a security
// incident from the portal; the security team triages it.
func (s *Server) portalReportIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	in := app.PortalIncident{Title: r.PostFormValue("title"), Description: r.PostFormValue("description")}
	var err error
	if v := strings.TrimSpace(r.PostFormValue("noticed_at")); v != "" {
		in.NoticedAt, err = input.ParseInstant("noticed_at", v)
	}
	if err == nil {
		_, err = s.app.ReportIncidentFromPortal(r.Context(), p.App(), in)
	}
	return s.portalDone(w, r, p, err, "incident")
}
