package api

import "github.com/assay-platform/assay"

// monitoringRoutes registers the monitoring pages and API: everyone who
// reads the program reads checks, results and sources; admins
// (ActionManageMonitoring) add sources, add, change and delete custom
// checks, run sources, push and import, and manage alert channels.
func (s *Server) monitoringRoutes() {

	s.api("GET /api/v1/sources", assay.ActionRead, s.apiSources)
	s.api("POST /api/v1/sources", assay.ActionManageMonitoring, s.apiCreateSource)
	s.api("GET /api/v1/sources/{id}", assay.ActionRead, s.apiSource)
	s.api("PATCH /api/v1/sources/{id}", assay.ActionManageMonitoring, s.apiUpdateSource)
	s.api("POST /api/v1/sources/{id}/run", assay.ActionManageMonitoring, s.apiRunSource)
	s.api("POST /api/v1/sources/{id}/test", assay.ActionManageMonitoring, s.apiTestSource)
	s.api("POST /api/v1/sources/{id}/resources", assay.ActionManageMonitoring, s.apiPushResources)
	s.api("POST /api/v1/sources/{id}/input", assay.ActionManageMonitoring, s.apiSourceInput)
	s.api("GET /api/v1/checks", assay.ActionRead, s.apiChecks)
	s.api("POST /api/v1/checks", assay.ActionManageMonitoring, s.apiCreateCheck)
	s.api("GET /api/v1/checks/{id}", assay.ActionRead, s.apiCheck)
	s.api("PATCH /api/v1/checks/{id}", assay.ActionManageMonitoring, s.apiUpdateCheck)
	s.api("DELETE /api/v1/checks/{id}", assay.ActionManageMonitoring, s.apiDeleteCheck)
	s.api("GET /api/v1/runs", assay.ActionRead, s.apiRuns)
	s.api("GET /api/v1/runs/{id}", assay.ActionRead, s.apiRun)
	s.api("GET /api/v1/results", assay.ActionRead, s.apiResults)
	s.api("GET /api/v1/findings", assay.ActionRead, s.apiFindings)
	s.api("GET /api/v1/alert-channels", assay.ActionManageMonitoring, s.apiAlertChannels)
	s.api("POST /api/v1/alert-channels", assay.ActionManageMonitoring, s.apiCreateAlertChannel)
	s.api("GET /api/v1/alert-channels/{id}", assay.ActionManageMonitoring, s.apiAlertChannel)
	s.api("PATCH /api/v1/alert-channels/{id}", assay.ActionManageMonitoring, s.apiUpdateAlertChannel)
	s.api("DELETE /api/v1/alert-channels/{id}", assay.ActionManageMonitoring, s.apiDeleteAlertChannel)
	s.api("POST /api/v1/alert-channels/{id}/test", assay.ActionManageMonitoring, s.apiTestAlertChannel)
	s.api("GET /api/v1/alert-deliveries", assay.ActionManageMonitoring, s.apiAlertDeliveries)
}
