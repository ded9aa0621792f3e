package web

// policyFlash are the policy pages' confirmations.
var policyFlash = map[string]string{
	"adopted":  "Policy adopted as draft 1.0.",
	"saved":    "Draft saved.",
	"moved":    "Version updated.",
	"settings": "Settings saved.",
	"reviewed": "Review recorded.",
	"accepted": "Thank you: your acceptance is recorded.",
}
