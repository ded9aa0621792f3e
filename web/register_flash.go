package web

// riskFlash are the risk pages' confirmations.
var riskFlash = map[string]string{
	"risk-created":     "Risk added to the register.",
	"risk-saved":       "Risk updated.",
	"risks-adopted":    "Template risks added to the register.",
	"risks-imported":   "Risks imported.",
	"assessment-saved": "Risk assessment recorded.",
	"vendor-created":   "Vendor added.",
	"vendor-saved":     "Vendor updated.",
	"vendor-reviewed":  "Security review recorded.",
	"vendors-imported": "Vendors imported.",
}
