package app

import (
	"time"

	"github.com/assay-platform/assay"
)

// IncidentView is an incident as the API and the CLI show it: with its
// notice deadlines and the notices overdue at now.
type IncidentView struct {
	assay.Incident
	CustomerNoticeDue  *time.Time `json:"customer_notice_due"`
	RegulatorNoticeDue *time.Time `json:"regulator_notice_due"`
	Warnings           []string   `json:"warnings"`
}

// ViewIncident is i as shown at now.
func ViewIncident(i assay.Incident, now time.Time) IncidentView {
	return IncidentView{Incident: i, CustomerNoticeDue: i.CustomerNoticeDue(), RegulatorNoticeDue: i.RegulatorNoticeDue(), Warnings: i.Warnings(now)}
}

// ViewIncidents is every incident of list as shown at now.
func ViewIncidents(list []assay.Incident, now time.Time) []IncidentView {
	out := make([]IncidentView, len(list))
	for i, inc := range list {
		out[i] = ViewIncident(inc, now)
	}
	return out
}

// CorrectiveView is a corrective action with whether it is overdue at now.
type CorrectiveView struct {
	assay.CorrectiveAction
	Overdue bool `json:"overdue"`
}

// ViewCorrective is c as shown at now.
func ViewCorrective(c assay.CorrectiveAction, now time.Time) CorrectiveView {
	return CorrectiveView{c, c.Overdue(now)}
}

// ViewCorrectives is every action of list as shown at now.
func ViewCorrectives(list []assay.CorrectiveAction, now time.Time) []CorrectiveView {
	out := make([]CorrectiveView, len(list))
	for i, c := range list {
		out[i] = ViewCorrective(c, now)
	}
	return out
}

// IncidentDetail is one incident with its timeline and the corrective
// actions its review opened (GET /api/v1/incidents/{id}).
type IncidentDetail struct {
	IncidentView
	Timeline          []assay.IncidentEntry `json:"timeline"`
	CorrectiveActions []CorrectiveView      `json:"corrective_actions"`
}

// IncidentReviewed is a recorded review: the closed incident and the
// corrective actions it opened (POST /api/v1/incidents/{id}/review).
type IncidentReviewed struct {
	Incident          IncidentView     `json:"incident"`
	CorrectiveActions []CorrectiveView `json:"corrective_actions"`
}
