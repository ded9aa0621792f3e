package web

// incidentFlash are the incident pages' confirmations.
var incidentFlash = map[string]string{
	"reported": "Incident reported.",
	"moved":    "Incident updated.",
	"owner":    "Owner saved.",
	"notice":   "Notification recorded.",
	"entry":    "Timeline entry added.",
	"imported": "Incidents imported.",
	"reviewed": "Review recorded; the incident is closed and its corrective actions are in the register.",
}
