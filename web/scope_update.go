package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

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
