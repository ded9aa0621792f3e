package web

// monitoringFlash are the monitoring pages' confirmations.
var monitoringFlash = map[string]string{
	"check-saved":   "Check saved.",
	"check-deleted": "Custom check deleted. Its history is kept; its open findings are closed.",
}
