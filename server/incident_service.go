package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
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

// incidentView is an incident as the API and pages show it: with its
// notice deadlines and overdue warnings at the server's clock.
type incidentView struct {
	assay.Incident
	CustomerNoticeDue  *time.Time `json:"customer_notice_due"`
	RegulatorNoticeDue *time.Time `json:"regulator_notice_due"`
	Warnings           []string   `json:"warnings"`
}

func (s *Server) viewIncident(i assay.Incident) incidentView {
	return incidentView{Incident: i, CustomerNoticeDue: i.CustomerNoticeDue(), RegulatorNoticeDue: i.RegulatorNoticeDue(), Warnings: i.Warnings(s.clock.Now())}
}

// correctiveView is a corrective action with its overdue flag.
type correctiveView struct {
	assay.CorrectiveAction
	Overdue bool `json:"overdue"`
}

func (s *Server) viewCorrective(list []assay.CorrectiveAction) []correctiveView {
	now := s.clock.Now()
	out := make([]correctiveView, len(list))
	for i, c := range list {
		out[i] = correctiveView{c, c.Overdue(now)}
	}
	return out
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
// corrective actions it opens.
type reviewBody struct {
	assay.NewIncidentReview
	OwnerID int64  `json:"owner_id"`
	DueDate string `json:"due_date"`
}

// review records a review; the actions default to the reviewer and 30 days.
func (s *Server) review(ctx context.Context, p *principal, id int64, b reviewBody) (assay.Incident, []assay.CorrectiveAction, error) {
	due := assay.Day(s.clock.Now()).AddDate(0, 0, 30)
	if d, err := parseDate("due_date", b.DueDate); err != nil {
		return assay.Incident{}, nil, err
	} else if d != nil {
		due = *d
	}
	if b.OwnerID == 0 {
		b.OwnerID = p.User.ID
	}
	return p.Org.ReviewIncident(ctx, p.actor(), id, b.NewIncidentReview, b.OwnerID, due)
}

// auditCorrective turns an exception in an audit's period view into a
// corrective action.
func (s *Server) auditCorrective(ctx context.Context, p *principal, auditID int64, controlID, exception string, ownerID int64, due string) (assay.CorrectiveAction, error) {
	controlID, exception = strings.ToUpper(strings.TrimSpace(controlID)), strings.TrimSpace(exception)
	a, err := p.Org.Audit(ctx, auditID)
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	if controlID == "" {
		return assay.CorrectiveAction{}, assay.Invalid("control_id", "Name the control the exception is about.")
	}
	if _, err := p.Org.Control(ctx, controlID); assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.CorrectiveAction{}, assay.Invalid("control_id", "No control %s in this organisation.", controlID)
	} else if err != nil {
		return assay.CorrectiveAction{}, err
	}
	d, err := parseDate("due_date", due)
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	n := assay.NewCorrectiveAction{Source: assay.SourceAuditException, SourceRef: fmt.Sprintf("Audit %d (%s) / %s", a.ID, a.Name, controlID),
		Title: exception, Action: "Correct the exception: " + exception, OwnerID: ownerID, DueDate: assay.Day(s.clock.Now()).AddDate(0, 0, 30)}
	if len(n.SourceRef) > assay.MaxIncidentTitle {
		n.SourceRef = fmt.Sprintf("Audit %d / %s", a.ID, controlID)
	}
	if d != nil {
		n.DueDate = *d
	}
	return p.Org.CreateCorrectiveAction(ctx, p.actor(), n)
}

// mayPatchCorrective checks what a non-admin owner may change: status (not
// to verified) and the action text.
func mayPatchCorrective(u assay.User, c assay.CorrectiveAction, patch assay.CorrectivePatch) error {
	if !u.MayUpdateCorrective(c) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin or the action's owner may update corrective action %d.", c.ID)
	}
	if u.Can(assay.ActionManageIncidents, nil) {
		return nil
	}
	if patch.OwnerID != nil || patch.DueDate != nil || (patch.Status != nil && *patch.Status == assay.CorrectiveVerified) {
		return assay.Errorf(assay.EFORBIDDEN, "Only an admin may reassign, reschedule or verify a corrective action.")
	}
	return nil
}
