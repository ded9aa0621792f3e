package roster

import (
	"regexp"
	"strings"
)

// word lower-cases a cell and joins its words with underscores, so that
// "Not enrolled", "NOT_ENROLLED" and "not-enrolled" read the same.
func word(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '_' || r == '-'
	}), "_")
}

// parseBool reads the many ways exports say yes and no; empty is no.
func parseBool(s string) (bool, bool) {
	switch word(s) {
	case "yes", "y", "true", "t", "1", "enrolled", "enabled", "on", "active", "enforced", "x":
		return true, true
	case "", "no", "n", "false", "f", "0", "not_enrolled", "unenrolled", "disabled", "off", "none":
		return false, true
	}
	return false, false
}

// mfaWords are the enrolment states exports write besides yes and no:
// JumpCloud's mfaEnrollment statuses, Google's 2-step verification
// enrolment status.
var mfaWords = map[string]bool{
	"enrolled": true, "configured": true, "registered": true,
	"not_enrolled": false, "not_configured": false, "not_registered": false, "pending_activation": false,
	"pending_enrollment": false, "enrollment_expired": false, "not_allowed": false, "unknown": false,
}

// psHash matches a nested object as PowerShell's Export-Csv writes it
// ("@{configured=True; exclusion=False}"): the field that says whether
// MFA is on is configured, or overallStatus for an enrolment.
var psHash = regexp.MustCompile(`(?i)\b(configured|overallStatus)=([^;}]*)`)

// parseMFA reads an MFA cell: yes/no, an enrolment state, or a PowerShell
// object holding one.
func parseMFA(s string) (bool, bool) {
	if strings.HasPrefix(strings.TrimSpace(s), "@{") {
		m := psHash.FindStringSubmatch(s)
		if m == nil {
			return false, false
		}
		s = m[2]
	}
	if v, ok := mfaWords[word(s)]; ok {
		return v, true
	}
	return parseBool(s)
}

// Statuses that mean the account can sign in, those that mean it cannot,
// and those that also mean its owner has left (HR systems).
var (
	activeStatuses = []string{"active", "enabled", "provisioned", "recovery", "password_expired", "locked_out", "locked",
		"activated", "pending_user_action", "password_reset"}
	inactiveStatuses = []string{"suspended", "deprovisioned", "disabled", "deleted", "archived", "inactive", "staged", "deactivated",
		"blocked", "terminated", "hired", "accepted", "init", "not_started"}
	leftStatuses = []string{"terminated"}
)
