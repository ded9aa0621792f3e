package web

import "github.com/assay-platform/assay"

// monitoringRoutes registers the monitoring pages and API: everyone who
// reads the program reads checks, results and sources; admins
// (ActionManageMonitoring) add sources, add, change and delete custom
// checks, run sources, push and import, and manage alert channels.
func (s *Server) monitoringRoutes() {
	s.page("GET /monitoring", assay.ActionRead, s.monitoringPage)
	s.page("GET /monitoring/checks/new", assay.ActionManageMonitoring, s.newCheckPage)
	s.page("POST /monitoring/checks", assay.ActionManageMonitoring, s.createCheckForm)
	s.page("GET /monitoring/checks/{id}", assay.ActionRead, s.checkPage)
	s.page("GET /monitoring/checks/{id}/edit", assay.ActionManageMonitoring, s.editCheckPage)
	s.page("POST /monitoring/checks/{id}", assay.ActionManageMonitoring, s.updateCheckForm)
	s.page("POST /monitoring/checks/{id}/delete", assay.ActionManageMonitoring, s.deleteCheckForm)
	s.page("GET /monitoring/sources", assay.ActionRead, s.sourcesPage)
	s.page("POST /monitoring/sources", assay.ActionManageMonitoring, s.createSourceForm)
	s.page("GET /monitoring/sources/{id}", assay.ActionRead, s.sourcePage)
	s.page("POST /monitoring/sources/{id}", assay.ActionManageMonitoring, s.updateSourceForm)
	s.page("POST /monitoring/sources/{id}/run", assay.ActionManageMonitoring, s.runSourceForm)
	s.page("POST /monitoring/sources/{id}/test", assay.ActionManageMonitoring, s.testSourceForm)
	s.uploadPage("POST /monitoring/sources/{id}/input", assay.ActionManageMonitoring, s.sourceInputForm)
	s.page("GET /settings/alerts", assay.ActionManageMonitoring, s.alertsPage)
	s.page("POST /settings/alerts", assay.ActionManageMonitoring, s.createAlertForm)
	s.page("POST /settings/alerts/{id}", assay.ActionManageMonitoring, s.updateAlertForm)
	s.page("POST /settings/alerts/{id}/test", assay.ActionManageMonitoring, s.testAlertForm)
	s.page("POST /settings/alerts/{id}/delete", assay.ActionManageMonitoring, s.deleteAlertForm)

}
