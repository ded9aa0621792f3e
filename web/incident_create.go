package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) createIncidentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n := assay.NewIncident{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Exercise: r.PostFormValue("exercise") == "on", PersonalData: r.PostFormValue("personal_data") == "on", CustomerData: r.PostFormValue("customer_data") == "on"}
	var err error
	if v := strings.TrimSpace(r.PostFormValue("customer_notice_hours")); v != "" {
		if n.CustomerNoticeHours, err = strconv.Atoi(v); err != nil {
			err = assay.Invalid("customer_notice_hours", "The customer notice commitment must be a whole number of hours.")
		}
	}
	if err == nil {
		n.OccurredAt, err = input.ParseInstant("occurred_at", r.PostFormValue("occurred_at"))
	}
	if err == nil {
		n.DetectedAt, err = input.ParseInstant("detected_at", r.PostFormValue("detected_at"))
	}
	if err == nil {
		var i assay.Incident
		if i, err = s.app.ReportIncident(r.Context(), p.App(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/incidents/%d?flash=reported", i.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showIncidents(w, r, p, status, msg, r.PostForm)
	})
}
