package rules

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/assay-platform/assay/store"

	"github.com/assay-platform/assay"
)

// The monitoring condition of the readiness rule: a control that checks
// test is not met while any resource of an enabled source fails one of
// them, or while one of them could not run (an error result, such as a
// source whose collector failed): an untested control is not shown as
// passing. Controls no check tests are unaffected, and so are results of
// disabled sources and of checks that no longer exist.

// maxNamed is how many failing (check, resource) pairs a reason names.
const maxNamed = 3

// MonitorRule adds the monitoring condition to rule (see above).
func MonitorRule(ctx context.Context, os store.OrgStore, checks []assay.Check, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	controlsOf := make(map[string][]string, len(checks))
	for _, c := range checks {
		if len(c.Controls) > 0 {
			controlsOf[c.ID] = c.Controls
		}
	}
	if len(controlsOf) == 0 {
		return rule, nil
	}
	sources, err := os.Sources(ctx)
	if err != nil {
		return rule, fmt.Errorf("readiness: sources: %w", err)
	}
	enabled := make(map[int64]string, len(sources))
	for _, s := range sources {
		if s.Enabled {
			enabled[s.ID] = s.Name
		}
	}
	// What fails or errs now, summarised per check by the store (a
	// source-level error is not in the runs' per-check totals, so they
	// cannot stand in for it): tens of rows, however many resources.
	summary, err := os.NotPassingChecks(ctx, maxNamed)
	if err != nil {
		return rule, fmt.Errorf("readiness: not passing checks: %w", err)
	}
	failing := map[string][]assay.NotPassingCheck{} // control -> its checks failing
	erring := map[string][]assay.NotPassingCheck{}
	for _, p := range summary {
		if p.Count == 0 {
			continue
		}
		for _, ctl := range controlsOf[p.CheckID] {
			if p.Status == assay.CheckFail {
				failing[ctl] = append(failing[ctl], p)
			} else {
				erring[ctl] = append(erring[ctl], p)
			}
		}
	}
	if len(failing) == 0 && len(erring) == 0 {
		return rule, nil
	}
	cond := func(c assay.Control) string {
		var parts []string
		if f := failing[c.ID]; len(f) > 0 {
			parts = append(parts, describeChecks(f, "failing"))
		}
		if e := erring[c.ID]; len(e) > 0 {
			parts = append(parts, describeChecks(e, "could not run"))
		}
		return strings.Join(parts, "; ")
	}
	rule.Conditions = append(slices.Clip(rule.Conditions), cond)
	return rule, nil
}

// describeChecks is describe over per-check summaries: the items are
// "check on name", and a check's first few names (in byte order) hold the
// first few items of all its names, so the first few of every check's
// first few are the first few overall.
func describeChecks(parts []assay.NotPassingCheck, what string) string {
	var items []string
	total := 0
	seen := map[string]bool{}
	for _, p := range parts {
		if seen[p.CheckID] { // a check listing a control twice
			continue
		}
		seen[p.CheckID] = true
		total += p.Count
		for _, w := range p.First {
			items = append(items, p.CheckID+" on "+w)
		}
	}
	sort.Strings(items)
	noun := "checks"
	if len(seen) == 1 {
		noun = "check"
	}
	named := items
	more := ""
	if len(named) > maxNamed {
		named = named[:maxNamed]
	}
	if total > maxNamed {
		more = fmt.Sprintf(" and %d more", total-maxNamed)
	}
	return fmt.Sprintf("%d %s %s: %s%s", len(seen), noun, what, strings.Join(named, ", "), more)
}

// describe says "2 checks failing: a on x, b on y" naming at most a few
// pairs; the count is of distinct checks.
func describe(items []string, what string) string {
	items = slices.Clone(items)
	sort.Strings(items)
	items = slices.Compact(items)
	checks := map[string]bool{}
	for _, it := range items {
		checks[strings.SplitN(it, " on ", 2)[0]] = true
	}
	noun := "checks"
	if len(checks) == 1 {
		noun = "check"
	}
	named := items
	more := ""
	if len(named) > maxNamed {
		named = named[:maxNamed]
		more = fmt.Sprintf(" and %d more", len(items)-maxNamed)
	}
	return fmt.Sprintf("%d %s %s: %s%s", len(checks), noun, what, strings.Join(named, ", "), more)
}
