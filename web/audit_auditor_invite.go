package web

import (
	"net/http"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) inviteAuditorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var inv app.AuditorInvite
		inv, err = input.InviteBody{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
			Password: r.PostFormValue("password"), ExpiresAt: r.PostFormValue("expires_at")}.Invite()
		if err == nil {
			_, err = s.app.InviteAuditor(r.Context(), p.App(), id, inv)
		}
	}
	return s.afterAuditForm(w, r, p, id, err, "auditor-invited")
}
