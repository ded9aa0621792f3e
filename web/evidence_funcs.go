package web

import (
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// init adds the template functions the evidence pages use.
func init() {
	funcs["bytes"] = httpkit.HumanBytes
	funcs["list"] = func(v ...string) []string { return v }
	funcs["stateLabel"] = func(s string) string {
		return map[string]string{assay.EvidenceCurrent: "Current", assay.EvidenceExpiring: "Expiring soon",
			assay.EvidenceExpired: "Expired", assay.EvidenceSuperseded: "Superseded"}[s]
	}
	funcs["kindLabel"] = func(k assay.EvidenceKind) string { return k.Label() }
	funcs["requestLabel"] = func(s assay.RequestStatus) string { return s.Label() }
	funcs["shortDigest"] = func(d string) string {
		if len(d) <= 12 {
			return d
		}
		return d[:12] + "…"
	}
	funcs["day"] = func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2 Jan 2006")
	}
}
