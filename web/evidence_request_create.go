package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) createRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostForm
	n := assay.NewEvidenceRequest{ControlID: f.Get("control_id"), Description: f.Get("description")}
	var err error
	if v := f.Get("assignee_id"); v != "" {
		if n.AssigneeID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("assignee_id", "Choose who should answer from the list.")
		}
	}
	var req assay.EvidenceRequest
	if err == nil {
		if due, derr := input.ParseDate("due_date", f.Get("due_date")); derr != nil {
			err = derr
		} else if due != nil {
			n.DueDate = *due
		}
	}
	if err == nil {
		req, err = s.app.CreateEvidenceRequest(r.Context(), p.App(), n)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequests(w, r, p, status, msg, f)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-created", req.ID), http.StatusSeeOther)
	return nil
}
