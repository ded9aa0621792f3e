package trivy

import (
	"github.com/assay-platform/assay"
)

// secret is the part of a Trivy secret finding read. Its Match and Code
// (the line with the secret, masked by Trivy) are never read, so no part
// of a secret reaches a resource.
type secret struct {
	RuleID    string `json:"RuleID"`
	Category  string `json:"Category"`
	Severity  string `json:"Severity"`
	Title     string `json:"Title"`
	StartLine int64  `json:"StartLine"`
	EndLine   int64  `json:"EndLine"`
}

// secrets counts a result's secrets on the artifact and names the first
// few: "AWS Access Key ID (aws-access-key-id) in /app/.env, line 3".
func (a *artifact) secrets(res result, where string) error {
	for i, s := range res.Secrets {
		if _, ok := severity(s.Severity); !ok {
			return assay.Invalid("input", "%s, %s secret %d: unknown Severity %q", where, res.Target, i+1, s.Severity)
		}
		a.secretCount++
		if len(a.secretList) >= maxListed {
			continue
		}
		what := s.Title
		switch {
		case what == "" && s.RuleID == "":
			what = "a secret"
		case what == "":
			what = s.RuleID
		case s.RuleID != "":
			what += " (" + s.RuleID + ")"
		}
		item := what + " in " + res.Target
		if l := lines(s.StartLine, s.EndLine); l != "" {
			item += ", line " + l
		}
		a.secretList = append(a.secretList, item)
	}
	return nil
}
