package api

import "github.com/assay-platform/assay"

// incidentRoutes registers the incident and corrective action pages and
// API. Members report incidents and add to timelines; admins manage; the
// owner of a corrective action updates it (checked in the handler).
func (s *Server) incidentRoutes() {

	s.api("GET /api/v1/incidents", assay.ActionRead, s.apiIncidents)
	s.api("POST /api/v1/incidents", assay.ActionReportIncident, s.apiCreateIncident)
	s.api("GET /api/v1/incidents/metrics", assay.ActionRead, s.apiIncidentMetrics)
	s.api("GET /api/v1/incidents/export.csv", assay.ActionRead, s.incidentsCSV)
	s.api("POST /api/v1/incidents/import", assay.ActionManageIncidents, s.apiImportIncidents)
	s.api("GET /api/v1/incidents/{id}", assay.ActionRead, s.apiIncident)
	s.api("PATCH /api/v1/incidents/{id}", assay.ActionManageIncidents, s.apiMoveIncident)
	s.api("POST /api/v1/incidents/{id}/notices", assay.ActionManageIncidents, s.apiIncidentNotice)
	s.api("POST /api/v1/incidents/{id}/owner", assay.ActionManageIncidents, s.apiSetIncidentOwner)
	s.api("GET /api/v1/incidents/{id}/timeline", assay.ActionRead, s.apiIncidentTimeline)
	s.api("POST /api/v1/incidents/{id}/timeline", assay.ActionReportIncident, s.apiAddIncidentEntry)
	s.api("POST /api/v1/incidents/{id}/review", assay.ActionManageIncidents, s.apiReviewIncident)
	s.api("GET /api/v1/corrective-actions", assay.ActionRead, s.apiCorrectiveActions)
	s.api("POST /api/v1/corrective-actions", assay.ActionManageIncidents, s.apiCreateCorrective)
	s.api("GET /api/v1/corrective-actions/export.csv", assay.ActionRead, s.correctiveCSV)
	s.api("POST /api/v1/corrective-actions/import", assay.ActionManageIncidents, s.apiImportCorrective)
	s.api("GET /api/v1/corrective-actions/{id}", assay.ActionRead, s.apiCorrectiveAction)
	s.api("PATCH /api/v1/corrective-actions/{id}", assay.ActionRead, s.apiUpdateCorrective) // owner check inside
	s.api("POST /api/v1/audits/{id}/corrective-actions", assay.ActionManageIncidents, s.apiAuditCorrective)
}
