package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// updateControlForm takes the control page's form. Only the fields the
// form sent are changed.
func (s *Server) updateControlForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	var patch assay.ControlPatch
	form := r.PostForm
	if form.Has("status") {
		st := assay.ControlStatus(form.Get("status"))
		patch.Status = &st
	}
	if form.Has("justification") {
		v := form.Get("justification")
		patch.Justification = &v
	}
	if form.Has("notes") {
		v := form.Get("notes")
		patch.Notes = &v
	}
	if form.Has("owner_id") && p.User.Can(assay.ActionManageControls, nil) {
		var oid int64
		if v := form.Get("owner_id"); v != "" {
			var err error
			if oid, err = strconv.ParseInt(v, 10, 64); err != nil || oid < 0 {
				return s.showControl(w, r, p, id, http.StatusBadRequest, "Choose an owner from the list.", nil)
			}
		}
		patch.OwnerID = &oid
	}
	if form.Has("criteria") && p.User.Can(assay.ActionManageControls, nil) {
		ids := input.SplitList(form.Get("criteria"))
		patch.Criteria = &ids
	}
	ctl, err := s.app.UpdateControl(r.Context(), p.App(), id, patch)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showControl(w, r, p, id, status, msg, &patch)
		})
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", "/controls/"+url.PathEscape(ctl.ID)+"?flash=saved")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/controls/"+url.PathEscape(ctl.ID)+"?flash=saved", http.StatusSeeOther)
	return nil
}
