package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) afterCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/corrective-actions?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showCorrective(w, r, p, status, msg, r.PostForm)
	})
}
