package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Limits that keep catalog text readable in the UI and in exports.
const (
	maxTitle       = 120
	maxExplanation = 900
	minControls    = 100
	minCoverage    = 2
)

// Validate checks the catalog: ids unique and complete, every reference
// resolves, every enumerated field holds a known value, and every criterion
// is covered by at least two controls. It returns every problem it finds.
func (c *Catalog) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if c.criterionIdx == nil {
		if err := c.index(); err != nil {
			return err
		}
	}
	for _, cat := range c.Categories {
		if cat.ID == "" || strings.TrimSpace(cat.Name) == "" || strings.TrimSpace(cat.Description) == "" {
			bad("category %q: id, name and description are required", cat.ID)
		}
	}
	if cat, ok := c.CategoryByID("security"); !ok || !cat.Required {
		bad("category security must exist and be required")
	}
	for _, s := range c.Series {
		if _, ok := c.categoryIdx[s.Category]; !ok {
			bad("series %s: unknown category %q", s.ID, s.Category)
		}
		if strings.TrimSpace(s.Title) == "" {
			bad("series %s: title is required", s.ID)
		}
	}

	// Exactly the expected criteria, in the expected order.
	got := c.CriterionIDs()
	if !slices.Equal(got, ExpectedCriteria) {
		for _, id := range ExpectedCriteria {
			if _, ok := c.criterionIdx[id]; !ok {
				bad("criterion %s is missing", id)
			}
		}
		for _, id := range got {
			if !slices.Contains(ExpectedCriteria, id) {
				bad("criterion %s is not a TSC 2017 criterion", id)
			}
		}
		if len(errs) == 0 {
			bad("criteria are not in framework order")
		}
	}
	for _, cr := range c.Criteria {
		if _, ok := c.seriesIdx[cr.Series]; !ok {
			bad("criterion %s: unknown series %q", cr.ID, cr.Series)
		} else if !strings.HasPrefix(cr.ID, cr.Series+".") {
			bad("criterion %s: id does not belong to series %s", cr.ID, cr.Series)
		}
		if t := strings.TrimSpace(cr.Title); t == "" || len(t) > maxTitle {
			bad("criterion %s: title must be 1-%d characters", cr.ID, maxTitle)
		}
		if e := strings.TrimSpace(cr.Explanation); e == "" || len(e) > maxExplanation {
			bad("criterion %s: explanation must be 1-%d characters", cr.ID, maxExplanation)
		}
	}

	if len(c.Controls) < minControls {
		bad("control library has %d controls; at least %d are required", len(c.Controls), minControls)
	}
	coverage := map[string]int{}
	for _, ctl := range c.Controls {
		if ctl.ID == "" {
			bad("a control has no id")
			continue
		}
		for field, v := range map[string]string{"family": ctl.Family, "name": ctl.Name, "description": ctl.Description, "evidence": ctl.Evidence, "owner_role": ctl.OwnerRole} {
			if strings.TrimSpace(v) == "" {
				bad("control %s: %s is required", ctl.ID, field)
			}
		}
		if len(ctl.Name) > maxTitle {
			bad("control %s: name is longer than %d characters", ctl.ID, maxTitle)
		}
		if !slices.Contains(Frequencies, ctl.Frequency) {
			bad("control %s: unknown frequency %q", ctl.ID, ctl.Frequency)
		}
		if !slices.Contains(Kinds, ctl.Kind) {
			bad("control %s: unknown kind %q", ctl.ID, ctl.Kind)
		}
		if !slices.Contains(Automations, ctl.Automation) {
			bad("control %s: unknown automation %q", ctl.ID, ctl.Automation)
		}
		if ctl.Automation != "" && strings.TrimSpace(ctl.AutomationNote) == "" {
			bad("control %s: automation_note must say what will be tested", ctl.ID)
		}
		if len(ctl.Criteria) == 0 {
			bad("control %s: maps to no criterion", ctl.ID)
		}
		seen := map[string]bool{}
		for _, id := range ctl.Criteria {
			if _, ok := c.criterionIdx[id]; !ok {
				bad("control %s: unknown criterion %q", ctl.ID, id)
				continue
			}
			if seen[id] {
				bad("control %s: criterion %s listed twice", ctl.ID, id)
				continue
			}
			seen[id] = true
			coverage[id]++
		}
	}
	for _, id := range ExpectedCriteria {
		if coverage[id] < minCoverage {
			bad("criterion %s is covered by %d controls; at least %d are required", id, coverage[id], minCoverage)
		}
	}
	return errors.Join(errs...)
}
