package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// incidentFlash are the incident pages' confirmations.
var incidentFlash = map[string]string{
	"reported": "Incident reported.",
	"moved":    "Incident updated.",
	"notice":   "Notification recorded.",
	"entry":    "Timeline entry added.",
	"imported": "Incidents imported.",
	"reviewed": "Review recorded; the incident is closed and its corrective actions are in the register.",
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showIncidents(w, r, p, http.StatusOK, "", url.Values{})
}

// incidentsData is what the incidents page shows.
type incidentsData struct {
	Incidents  []app.IncidentView
	Metrics    assay.IncidentMetrics
	Query      url.Values
	Form       url.Values
	Statuses   []assay.IncidentStatus
	Severities []assay.Severity
	CanReport  bool
	CanImport  bool
}

func (s *Server) showIncidents(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	q := r.URL.Query()
	f, err := input.IncidentFilterFrom(q.Get)
	if err != nil {
		return err
	}
	list, err := s.app.Incidents(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	metrics, err := s.app.IncidentMetrics(r.Context(), p.App())
	if err != nil {
		return err
	}
	views := app.ViewIncidents(list, s.clock.Now())
	s.render(w, r, status, "incidents", pageData{Title: "Incidents", Nav: "incidents", Error: errMsg, Flash: incidentFlash[q.Get("flash")], Data: incidentsData{
		Incidents: views, Metrics: metrics, Query: q, Form: form,
		Statuses: assay.IncidentStatuses, Severities: assay.Severities,
		CanReport: p.User.Can(assay.ActionReportIncident, nil), CanImport: p.User.Can(assay.ActionManageIncidents, nil),
	}})
	return nil
}

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

// importIncidentsForm imports incidents from the CSV pasted on the
// incidents page: every row or none.
func (s *Server) importIncidentsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_, err := csvimport.Incidents(r.Context(), s.app, p.App(), r.PostFormValue("csv"), s.clock.Now())
	if err == nil {
		http.Redirect(w, r, "/incidents?flash=imported", http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showIncidents(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showIncident(w, r, p, http.StatusOK, "", url.Values{})
}

// incidentData is what an incident's page shows.
type incidentData struct {
	Incident   app.IncidentView
	Timeline   []assay.IncidentEntry
	Actions    []app.CorrectiveView
	Owners     []assay.User
	Form       url.Values
	Severities []assay.Severity
	CanManage  bool
	CanReview  bool
	CanAdd     bool
	DefaultDue string // YYYY-MM-DD
}

func (s *Server) showIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Incident")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.IncidentDetail(ctx, p.App(), id)
	if err != nil {
		return err
	}
	i := d.Incident
	var owners []assay.User
	canManage := p.User.Can(assay.ActionManageIncidents, nil)
	if canManage {
		users, err := p.Org.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !u.Disabled && (u.Role == assay.RoleAdmin || u.Role == assay.RoleMember) {
				owners = append(owners, u)
			}
		}
	}
	s.render(w, r, status, "incident", pageData{Title: fmt.Sprintf("Incident %d", i.ID), Nav: "incidents", Error: errMsg,
		Flash: incidentFlash[r.URL.Query().Get("flash")], Data: incidentData{
			Incident: d.IncidentView, Timeline: d.Timeline, Actions: d.CorrectiveActions, Owners: owners, Form: form,
			Severities: assay.Severities, CanManage: canManage && i.Status != assay.IncidentClosed,
			CanReview: canManage && i.Status == assay.IncidentResolved, CanAdd: p.User.Can(assay.ActionReportIncident, nil),
			DefaultDue: s.app.DefaultCorrectiveDue().Format("2006-01-02"),
		}})
	return nil
}

func (s *Server) afterIncidentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/incidents/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showIncident(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) moveIncidentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	m := assay.IncidentMove{Status: assay.IncidentStatus(r.PostFormValue("status")), Severity: assay.Severity(r.PostFormValue("severity")), Note: r.PostFormValue("note")}
	if err == nil {
		m.At, err = input.ParseInstant("at", r.PostFormValue("at"))
	}
	if err == nil {
		_, err = s.app.MoveIncident(r.Context(), p.App(), id, m)
	}
	return s.afterIncidentForm(w, r, p, id, err, "moved")
}

func (s *Server) incidentNoticeForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	if err == nil {
		at, perr := input.ParseInstant("at", r.PostFormValue("at"))
		if err = perr; err == nil {
			_, err = s.app.RecordIncidentNotice(r.Context(), p.App(), id, r.PostFormValue("to"), at)
		}
	}
	return s.afterIncidentForm(w, r, p, id, err, "notice")
}

func (s *Server) incidentEntryForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	if err == nil {
		_, err = s.app.AddIncidentNote(r.Context(), p.App(), id, r.PostFormValue("text"))
	}
	return s.afterIncidentForm(w, r, p, id, err, "entry")
}

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
