package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) loadAccessAccountsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err != nil {
		return err
	}
	l := app.AccessLoad{From: r.PostFormValue("from"), System: r.PostFormValue("system")}
	if v := r.PostFormValue("source_id"); v != "" {
		l.SourceID, _ = strconv.ParseInt(v, 10, 64)
	}
	if l.From != app.LoadFromSource {
		if l.CSV, err = input.FormUpload(r, "file", "csv", s.cfg.MaxBodyBytes); err != nil {
			return s.accessPageFail(w, r, p, err)
		}
	}
	if _, err := s.app.LoadAccessAccounts(r.Context(), p.App(), id, l); err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=loaded", id), http.StatusSeeOther)
	return nil
}
