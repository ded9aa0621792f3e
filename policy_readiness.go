package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PolicyCriteria are the criteria that depend on written, communicated
// policies: CC1.1 (integrity and ethics: the code of conduct), CC1.3
// (structure and responsibilities: the information security policy),
// CC2.2 (internal communication of responsibilities) and CC5.3 (control
// activities deployed through policies). A policy counts for a criterion
// when one of its controls maps to it.
var PolicyCriteria = []string{"CC1.1", "CC1.3", "CC2.2", "CC5.3"}

// PolicyCondition is the readiness condition of PolicyCriteria: every
// adopted policy mapped to the criterion (except those retired altogether)
// must be published, within its review cadence and accepted by at least
// PolicyAcceptanceTarget percent of the people it applies to, with at
// least one such person. A criterion no policy maps to is left to its
// controls. controlCriteria maps control ids to criteria.
func PolicyCondition(now time.Time, policies []Policy, figures []PolicyFigure, controlCriteria map[string][]string) CriterionCondition {
	byPolicy := map[int64]PolicyFigure{}
	for _, f := range figures {
		byPolicy[f.PolicyID] = f
	}
	return func(id string) string {
		if !slices.Contains(PolicyCriteria, id) {
			return ""
		}
		var why []string
		for _, p := range policies {
			if !policyCovers(p, id, controlCriteria) {
				continue
			}
			if p.Published == nil {
				if p.Latest != nil && p.Latest.Status == PolicyRetired {
					continue // withdrawn on purpose
				}
				why = append(why, fmt.Sprintf("%s is not published", p.Title))
				continue
			}
			if p.ReviewState(now) == "overdue" {
				why = append(why, fmt.Sprintf("%s is overdue for review since %s", p.Title, p.NextReview().Format("2006-01-02")))
			}
			f := byPolicy[p.ID]
			switch {
			case f.Required == 0:
				why = append(why, fmt.Sprintf("%s applies to nobody on the roster yet", p.Title))
			case !f.Met():
				why = append(why, fmt.Sprintf("%s: %d of %d people have not accepted version %s", p.Title, f.Required-f.Accepted, f.Required, p.Published.Version))
			}
		}
		if len(why) > 3 {
			why = append(why[:3], fmt.Sprintf("and %d more", len(why)-3))
		}
		return strings.Join(why, "; ")
	}
}

func policyCovers(p Policy, criterionID string, controlCriteria map[string][]string) bool {
	for _, c := range p.Controls {
		if slices.Contains(controlCriteria[c], criterionID) {
			return true
		}
	}
	return false
}
