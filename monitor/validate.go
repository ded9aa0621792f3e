package monitor

import (
	"regexp"
	"strings"

	"github.com/assay-platform/assay"
)

// Limits on the text of a custom check.
const (
	maxCheckID    = 80
	maxCheckTitle = 200
	maxCheckText  = 2000
)

// CustomPrefix starts the id of every custom check, so it can never clash
// with a library check.
const CustomPrefix = "custom-"

var checkIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateCheck checks a custom check before it is saved: the id
// (lowercase-hyphenated, starting "custom-"), a title and a resource kind,
// a known severity, at least one control that knownControls accepts, and
// an expression and reason template that compile. The error is an
// assay.Invalid naming the field at fault; for the expression, its message
// gives the position of the problem.
func ValidateCheck(c assay.Check, knownControls func(string) bool) error {
	switch {
	case !strings.HasPrefix(c.ID, CustomPrefix) || len(c.ID) == len(CustomPrefix):
		return assay.Invalid("id", "a custom check's id starts with %q, e.g. custom-s3-tags", CustomPrefix)
	case len(c.ID) > maxCheckID || !checkIDPattern.MatchString(c.ID):
		return assay.Invalid("id", "id must be lowercase letters, digits and single hyphens, at most %d characters", maxCheckID)
	case strings.TrimSpace(c.Title) == "":
		return assay.Invalid("title", "title is required")
	case len(c.Title) > maxCheckTitle:
		return assay.Invalid("title", "title is longer than %d characters", maxCheckTitle)
	case strings.TrimSpace(c.Kind) == "":
		return assay.Invalid("kind", "resource kind is required, e.g. http.endpoint")
	case strings.ContainsAny(c.Kind, " \t\r\n"):
		return assay.Invalid("kind", "resource kind has no spaces")
	case !c.Severity.Valid():
		return assay.Invalid("severity", "severity must be critical, high, medium or low")
	case len(c.Reason) > maxCheckText:
		return assay.Invalid("reason", "reason is longer than %d characters", maxCheckText)
	case len(c.Remediation) > maxCheckText:
		return assay.Invalid("remediation", "remediation is longer than %d characters", maxCheckText)
	case len(c.Controls) == 0:
		return assay.Invalid("controls", "pick at least one control the check tests")
	}
	for _, id := range c.Controls {
		if knownControls == nil || !knownControls(id) {
			return assay.Invalid("controls", "unknown control %q", id)
		}
	}
	_, err := Compile(c)
	return err
}
