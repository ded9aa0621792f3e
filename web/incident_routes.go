package web

import "github.com/assay-platform/assay"

// incidentRoutes registers the incident and corrective action pages and
// API. Members report incidents and add to timelines; admins manage; the
// owner of a corrective action updates it (checked in the handler).
func (s *Server) incidentRoutes() {
	s.page("GET /incidents", assay.ActionRead, s.incidentsPage)
	s.page("POST /incidents", assay.ActionReportIncident, s.createIncidentForm)
	s.page("POST /incidents/import", assay.ActionManageIncidents, s.importIncidentsForm)
	s.page("GET /incidents/{id}", assay.ActionRead, s.incidentPage)
	s.page("POST /incidents/{id}/move", assay.ActionManageIncidents, s.moveIncidentForm)
	s.page("POST /incidents/{id}/notices", assay.ActionManageIncidents, s.incidentNoticeForm)
	s.page("POST /incidents/{id}/owner", assay.ActionManageIncidents, s.incidentOwnerForm)
	s.page("POST /incidents/{id}/entries", assay.ActionReportIncident, s.incidentEntryForm)
	s.page("POST /incidents/{id}/review", assay.ActionManageIncidents, s.incidentReviewForm)
	s.page("GET /corrective-actions", assay.ActionRead, s.correctivePage)
	s.page("POST /corrective-actions", assay.ActionManageIncidents, s.createCorrectiveForm)
	s.page("POST /corrective-actions/import", assay.ActionManageIncidents, s.importCorrectiveForm)
	s.page("POST /corrective-actions/{id}", assay.ActionRead, s.updateCorrectiveForm) // owner check inside
	s.page("POST /audits/{id}/corrective-actions", assay.ActionManageIncidents, s.auditCorrectiveForm)

}
