package assay

import (
	"fmt"
	"strings"
	"time"
)

// The readiness rule (also written down in the README):
//
//   - A criterion is in scope when its category is in scope (Security always is).
//   - The controls the organisation relies on for a criterion are the controls
//     mapped to it that are not marked not applicable.
//   - A criterion is met when it has at least one control relied on, and every
//     control relied on is implemented and passes every extra condition the
//     rule carries (later features add: current evidence, passing checks).
//   - A category's figure is its met in-scope criteria over its in-scope
//     criteria; the overall figure is the same over every in-scope criterion.
//
// Out-of-scope categories drop out of every figure.

// ControlCondition is an extra requirement a relied-on control must meet
// beyond being implemented. It returns "" when the control meets it, or a
// short reason ("evidence expired on 2026-03-01") when it does not.
type ControlCondition func(Control) string

// CriterionCondition is an extra requirement an in-scope criterion must
// meet beyond its controls (a current risk assessment, reviewed vendors).
// It returns "" when the criterion meets it (or it does not apply to the
// criterion), or a short reason when it does not.
type CriterionCondition func(criterionID string) string

// ReadinessRule computes readiness. Conditions and CriterionConditions may
// be empty.
type ReadinessRule struct {
	Conditions          []ControlCondition
	CriterionConditions []CriterionCondition
}

// Figure is a share of criteria met.
type Figure struct {
	Met     int `json:"met"`
	Total   int `json:"total"`
	Percent int `json:"percent"` // rounded down, so 100 means every one
}

func newFigure(met, total int) Figure {
	f := Figure{Met: met, Total: total}
	if total > 0 {
		f.Percent = met * 100 / total
	}
	return f
}

// CategoryReadiness is the figure for one category.
type CategoryReadiness struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	InScope  bool   `json:"in_scope"`
	Figure
}

// ControlRef is a control as the gap list shows it.
type ControlRef struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Status    ControlStatus `json:"status"`
	OwnerID   int64         `json:"owner_id,omitempty"`
	OwnerName string        `json:"owner_name,omitempty"`
	OwnerRole string        `json:"owner_role"`
	// Reason says what is missing for this control, "" when nothing is.
	Reason string `json:"reason,omitempty"`
}

// Owner is the person responsible, or the role when nobody is assigned.
func (c ControlRef) Owner() string {
	if c.OwnerName != "" {
		return c.OwnerName
	}
	return "Unassigned (" + c.OwnerRole + ")"
}

// CriterionReadiness is the state of one in-scope criterion.
type CriterionReadiness struct {
	ID       string       `json:"id"`
	Category string       `json:"category"`
	Series   string       `json:"series"`
	Title    string       `json:"title"`
	Met      bool         `json:"met"`
	Reason   string       `json:"reason,omitempty"`
	Controls []ControlRef `json:"controls"`
	// Missing lists the relied-on controls that stop the criterion being met.
	Missing []ControlRef `json:"missing,omitempty"`
}

// Readiness is the organisation's readiness for its SOC 2 scope.
type Readiness struct {
	ComputedAt time.Time             `json:"computed_at"`
	Scope      []string              `json:"scope"`
	Overall    Figure                `json:"overall"`
	Categories []CategoryReadiness   `json:"categories"`
	Criteria   []CriterionReadiness  `json:"criteria"`
	Gaps       []CriterionReadiness  `json:"gaps"`
	Controls   map[ControlStatus]int `json:"controls_by_status"`
}

// Compute applies the rule to the criteria of the catalog (in framework
// order), the organisation's scope and its controls.
func (r ReadinessRule) Compute(now time.Time, criteria []Criterion, scope Scope, controls []Control) Readiness {
	byCriterion := make(map[string][]int, len(criteria))
	out := Readiness{ComputedAt: now.UTC(), Scope: scope.Categories, Controls: map[ControlStatus]int{}}
	if out.Scope == nil {
		out.Scope = []string{CategorySecurity}
	}
	for i, c := range controls {
		for _, id := range c.Criteria {
			byCriterion[id] = append(byCriterion[id], i)
		}
	}
	// What each control lacks is the same for every criterion it maps to.
	reasons := make([]string, len(controls))
	for i, c := range controls {
		if c.Status != StatusNotApplicable {
			reasons[i] = r.missing(c)
		}
	}
	type tally struct{ met, total int }
	cats := map[string]*tally{}
	inScopeControls := make([]bool, len(controls))
	metAll, totalAll := 0, 0
	for _, cr := range criteria {
		if !scope.Has(cr.Category) {
			continue
		}
		cs := CriterionReadiness{ID: cr.ID, Category: cr.Category, Series: cr.Series, Title: cr.Title, Controls: make([]ControlRef, 0, len(byCriterion[cr.ID]))}
		relied := 0
		for _, i := range byCriterion[cr.ID] {
			c := &controls[i]
			inScopeControls[i] = true
			ref := ControlRef{ID: c.ID, Name: c.Name, Status: c.Status, OwnerID: c.OwnerID, OwnerName: c.OwnerName, OwnerRole: c.OwnerRole}
			if c.Status != StatusNotApplicable {
				relied++
				ref.Reason = reasons[i]
				if ref.Reason != "" {
					cs.Missing = append(cs.Missing, ref)
				}
			}
			cs.Controls = append(cs.Controls, ref)
		}
		switch {
		case len(cs.Controls) == 0:
			cs.Reason = "No control is mapped to this criterion; adopt or write one."
		case relied == 0:
			cs.Reason = "Every mapped control is marked not applicable; at least one control must address this criterion."
		case len(cs.Missing) > 0:
			cs.Reason = fmt.Sprintf("%d of %d controls relied on are not yet in place.", len(cs.Missing), relied)
		default:
			cs.Met = true
		}
		var extra []string
		for _, cond := range r.CriterionConditions {
			if why := cond(cr.ID); why != "" {
				extra = append(extra, why)
			}
		}
		if len(extra) > 0 {
			cs.Met = false
			cs.Reason = strings.TrimSpace(cs.Reason + " " + strings.Join(extra, "; "))
		}
		t := cats[cr.Category]
		if t == nil {
			t = &tally{}
			cats[cr.Category] = t
		}
		t.total++
		totalAll++
		if cs.Met {
			t.met++
			metAll++
		} else {
			out.Gaps = append(out.Gaps, cs)
		}
		out.Criteria = append(out.Criteria, cs)
	}
	for i, c := range controls {
		if inScopeControls[i] {
			out.Controls[c.Status]++
		}
	}
	out.Overall = newFigure(metAll, totalAll)
	for _, cat := range Categories {
		cr := CategoryReadiness{Category: cat, Name: CategoryName(cat), InScope: scope.Has(cat)}
		if t := cats[cat]; t != nil {
			cr.Figure = newFigure(t.met, t.total)
		}
		out.Categories = append(out.Categories, cr)
	}
	if out.Gaps == nil {
		out.Gaps = []CriterionReadiness{}
	}
	return out
}

// Missing says why the control does not count towards readiness yet
// (its status, and every condition it fails), or "" when it counts. A
// not-applicable control is left out of readiness rather than missing.
func (r ReadinessRule) Missing(c Control) string { return r.missing(c) }

// missing returns why a relied-on control does not count yet, or "".
func (r ReadinessRule) missing(c Control) string {
	var reasons []string
	if c.Status != StatusImplemented {
		reasons = append(reasons, "status is "+strings.ToLower(c.Status.Label()))
	}
	for _, cond := range r.Conditions {
		if why := cond(c); why != "" {
			reasons = append(reasons, why)
		}
	}
	return strings.Join(reasons, "; ")
}
