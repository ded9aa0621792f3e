package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// parseInstant reads "2026-03-31T14:05" (a datetime-local field, read as
// UTC), an RFC 3339 time or a date; "" is the zero time.
func parseInstant(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, assay.Invalid(field, "%s must be a time like 2026-03-31T14:05 (UTC).", strings.ReplaceAll(field, "_", " "))
}

// incidentView and correctiveView are the API's documents, shared with
// the CLI (app/incidents_view.go).
type (
	incidentView   = app.IncidentView
	correctiveView = app.CorrectiveView
)

func (s *Server) viewIncident(i assay.Incident) incidentView {
	return app.ViewIncident(i, s.clock.Now())
}

func (s *Server) viewCorrective(list []assay.CorrectiveAction) []correctiveView {
	return app.ViewCorrectives(list, s.clock.Now())
}

func incidentFilterFrom(get func(string) string) (assay.IncidentFilter, error) {
	f := assay.IncidentFilter{Status: assay.IncidentStatus(get("status")), Severity: assay.Severity(strings.ToUpper(get("severity")))}
	switch get("exercise") {
	case "":
	case "true", "1", "yes":
		f.Exercise = new(bool)
		*f.Exercise = true
	case "false", "0", "no":
		f.Exercise = new(bool)
	default:
		return f, assay.Invalid("exercise", "exercise must be true or false.")
	}
	return f, nil
}

func correctiveFilterFrom(get func(string) string, me int64) (assay.CorrectiveFilter, error) {
	f := assay.CorrectiveFilter{Status: assay.CorrectiveStatus(get("status")), Source: assay.CorrectiveSource(get("source"))}
	switch v := get("owner"); v {
	case "":
	case "me":
		f.OwnerID = me
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, assay.Invalid("owner", "owner must be a user id or \"me\".")
		}
		f.OwnerID = n
	}
	if v := get("incident"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return f, assay.Invalid("incident", "incident must be an incident id.")
		}
		f.IncidentID = n
	}
	switch get("overdue") {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return f, assay.Invalid("overdue", "overdue must be true or false.")
	}
	return f, nil
}

// reviewBody is a post-incident review with the owner and due date of the
// corrective actions it opens (defaults: the reviewer, in 30 days).
type reviewBody struct {
	assay.NewIncidentReview
	OwnerID int64  `json:"owner_id"`
	DueDate string `json:"due_date"`
}

func (b reviewBody) review() (app.IncidentReview, error) {
	d, err := parseDate("due_date", b.DueDate)
	return app.IncidentReview{NewIncidentReview: b.NewIncidentReview, OwnerID: b.OwnerID, DueDate: d}, err
}

// review records a review through the incident service.
func (s *Server) review(ctx context.Context, p *principal, id int64, b reviewBody) (assay.Incident, []assay.CorrectiveAction, error) {
	r, err := b.review()
	if err != nil {
		return assay.Incident{}, nil, err
	}
	return s.app.ReviewIncident(ctx, p.app(), id, r)
}

// auditCorrective turns an exception in an audit's period view into a
// corrective action.
func (s *Server) auditCorrective(ctx context.Context, p *principal, auditID int64, controlID, exception string, ownerID int64, due string) (assay.CorrectiveAction, error) {
	d, err := parseDate("due_date", due)
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	return s.app.CorrectAuditException(ctx, p.app(), auditID, app.AuditException{ControlID: controlID, Exception: exception, OwnerID: ownerID, DueDate: d})
}
