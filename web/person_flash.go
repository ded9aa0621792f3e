package web

// peopleFlash are the people and training pages' confirmations.
var peopleFlash = map[string]string{
	"added":       "Person added.",
	"saved":       "Person updated.",
	"imported":    "Roster imported.",
	"item":        "Checklist updated.",
	"course":      "Course saved.",
	"assigned":    "Training assigned.",
	"completions": "Completion records imported.",
	"started":     "Training started. Open the course, then confirm below when you have completed it.",
	"completed":   "Training completed. Thank you.",
	"done":        "Marked as done.",
	"incident":    "Incident reported. The security team will follow up.",
}
