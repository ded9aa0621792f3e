package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) decideAccessForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var account int64
	if err == nil {
		account, err = input.AccountID(r)
	}
	if err == nil {
		_, err = s.app.DecideAccess(r.Context(), p.App(), id, account, assay.NewAccessDecision{
			Decision: assay.AccessDecision(r.PostFormValue("decision")), Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	back := fmt.Sprintf("/access-reviews/%d?flash=decided", id)
	if r.PostFormValue("pending") == "1" {
		back += "&pending=1"
	}
	http.Redirect(w, r, back+fmt.Sprintf("#acc-%d", account), http.StatusSeeOther)
	return nil
}
