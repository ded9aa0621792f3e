package web

// accessFlash are the access review pages' confirmations.
var accessFlash = map[string]string{
	"created":   "Campaign opened. Load the accounts of its systems next.",
	"loaded":    "Accounts loaded.",
	"decided":   "Decision recorded.",
	"completed": "Campaign completed; its summary is attached as evidence to the access review controls.",
	"deleted":   "Campaign deleted.",
	"updated":   "Campaign updated.",
}
