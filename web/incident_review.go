package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) incidentReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	b := input.ReviewBody{NewIncidentReview: assay.NewIncidentReview{RootCause: r.PostFormValue("root_cause"), WentWell: r.PostFormValue("went_well"),
		ToImprove: r.PostFormValue("to_improve")}, DueDate: r.PostFormValue("due_date")}
	if v := strings.TrimSpace(r.PostFormValue("owner_id")); v != "" && err == nil {
		if b.OwnerID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("owner_id", "Choose an owner.")
		}
	}
	if err == nil {
		var rv app.IncidentReview
		if rv, err = b.Review(); err == nil {
			_, _, err = s.app.ReviewIncident(r.Context(), p.App(), id, rv)
		}
	}
	return s.afterIncidentForm(w, r, p, id, err, "reviewed")
}
