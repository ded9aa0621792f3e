package assay

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Check history as evidence of operation over a Type II period: for each
// control that checks test, how often the sources that evaluate those
// checks ran, which days they covered, when a check failed on a resource
// (and what resolved it), and the stretches of more than a day with no
// successful run.

// Exception kinds found by monitoring.
const (
	ExceptionCheckFailing  = "check_failing"  // a check failed on a resource for a time
	ExceptionMonitoringGap = "monitoring_gap" // a source went more than a day without a successful run
)

// MaxMonitoringGap is the longest a source may go without a successful run
// before the period view reports a gap.
const MaxMonitoringGap = 24 * time.Hour

// MonitorHistory is what the store recorded about monitoring over the
// window [From, To): the input of PeriodMonitoringFor.
type MonitorHistory struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Sources []Source  `json:"sources"`
	// SourceChecks lists, per source, the checks it has ever evaluated.
	SourceChecks map[int64][]string `json:"source_checks"`
	// Runs are the runs that started inside the window, oldest first.
	Runs []MonitorRun `json:"runs"`
	// Transitions are the asked checks' transitions inside the window,
	// preceded, for every (check, resource) failing when the window
	// opened, by the transition that made it fail; oldest first.
	Transitions []Transition `json:"transitions"`
	// Findings are those open at some time inside the window.
	Findings []Finding `json:"findings"`
}

// PeriodMonitoring is the automated testing of one control over a period.
type PeriodMonitoring struct {
	Checks      []string        `json:"checks"`       // the checks that test the control and that a source evaluates
	Sources     []PeriodSource  `json:"sources"`      // the sources that evaluate them
	Runs        int             `json:"runs"`         // runs of those sources in the period
	ErrorRuns   int             `json:"error_runs"`   // of which the collector failed
	Days        int             `json:"days"`         // days of the period so far (all of them once it has ended)
	DaysCovered int             `json:"days_covered"` // days with at least one successful run
	FailingDays int             `json:"failing_days"` // days on which a check failed on some resource
	Failures    []CheckFailure  `json:"failures"`
	Gaps        []MonitoringGap `json:"gaps"`
	Until       time.Time       `json:"until"` // the end of what was looked at: the period's end, or now
}

// PeriodSource is one source's runs in the period.
type PeriodSource struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	Kind        string     `json:"kind"`
	Runs        int        `json:"runs"`
	ErrorRuns   int        `json:"error_runs"`
	DaysCovered int        `json:"days_covered"`
	FirstRun    *time.Time `json:"first_run,omitempty"`
	LastRun     *time.Time `json:"last_run,omitempty"`
}

// CheckFailure is a window during which a check failed on a resource.
// Since is when it started failing (possibly before the period); From is
// that time clipped to the period. To is nil while it still fails.
type CheckFailure struct {
	CheckID            string     `json:"check_id"`
	SourceID           int64      `json:"source_id"`
	SourceName         string     `json:"source_name"`
	ResourceID         string     `json:"resource_id"`
	ResourceName       string     `json:"resource_name"`
	Reason             string     `json:"reason"`
	Since              time.Time  `json:"since"`
	From               time.Time  `json:"from"`
	To                 *time.Time `json:"to,omitempty"`
	ClosedByRun        int64      `json:"closed_by_run,omitempty"`
	FindingID          int64      `json:"finding_id,omitempty"`
	CorrectiveActionID int64      `json:"corrective_action_id,omitempty"`
	Resolution         string     `json:"resolution"`
}

// MonitoringGap is a stretch of more than MaxMonitoringGap with no
// successful run of a source. To is nil when runs had not resumed by the
// end of what was looked at.
type MonitoringGap struct {
	SourceID   int64      `json:"source_id"`
	SourceName string     `json:"source_name"`
	From       time.Time  `json:"from"`
	To         *time.Time `json:"to,omitempty"`
	Resolution string     `json:"resolution"`
}

// ChecksFor lists the ids of the checks that test a control, sorted.
func ChecksFor(checks []Check, controlID string) []string {
	var out []string
	for _, c := range checks {
		if slices.Contains(c.Controls, controlID) {
			out = append(out, c.ID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// PeriodMonitoringFor computes the automated testing of each control over
// h's window, up to now when the window has not ended. A control gets an
// entry only when some source has evaluated one of its checks: controls
// tested otherwise are left to their evidence.
func PeriodMonitoringFor(h MonitorHistory, checks []Check, controls []string, now time.Time) map[string]PeriodMonitoring {
	until := h.To
	if now.Before(until) {
		until = now
	}
	if until.Before(h.From) {
		until = h.From
	}
	byCheck := map[string][]int64{} // check -> sources that evaluate it
	for src, ids := range h.SourceChecks {
		for _, id := range ids {
			byCheck[id] = append(byCheck[id], src)
		}
	}
	sources := map[int64]Source{}
	for _, s := range h.Sources {
		sources[s.ID] = s
	}
	out := map[string]PeriodMonitoring{}
	for _, ctl := range controls {
		var ids []string
		srcSet := map[int64]bool{}
		for _, id := range ChecksFor(checks, ctl) {
			if len(byCheck[id]) == 0 {
				continue
			}
			ids = append(ids, id)
			for _, s := range byCheck[id] {
				srcSet[s] = true
			}
		}
		if len(ids) == 0 {
			continue
		}
		m := PeriodMonitoring{Checks: ids, Sources: []PeriodSource{}, Failures: []CheckFailure{}, Gaps: []MonitoringGap{},
			Days: dayCount(h.From, until), Until: until}
		covered := map[int64]bool{}
		for _, id := range slices.Sorted(maps.Keys(srcSet)) {
			src := sources[id]
			ps, days, gaps := sourceOperation(h, src, id, until)
			m.Sources = append(m.Sources, ps)
			m.Runs += ps.Runs
			m.ErrorRuns += ps.ErrorRuns
			for d := range days {
				covered[d] = true
			}
			m.Gaps = append(m.Gaps, gaps...)
		}
		m.DaysCovered = len(covered)
		m.Failures = failures(h, ids, sources, until)
		m.FailingDays = failingDays(m.Failures, until)
		slices.SortFunc(m.Gaps, func(a, b MonitoringGap) int {
			return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.SourceID, b.SourceID))
		})
		out[ctl] = m
	}
	return out
}

// dayCount is the number of UTC days that [from, until) touches.
func dayCount(from, until time.Time) int {
	if !until.After(from) {
		return 0
	}
	return int(Day(until.Add(-time.Nanosecond)).Sub(Day(from))/(24*time.Hour)) + 1
}

// sourceOperation sums one source's runs in the window and finds the gaps
// between its successful runs.
func sourceOperation(h MonitorHistory, src Source, id int64, until time.Time) (PeriodSource, map[int64]bool, []MonitoringGap) {
	name := src.Name
	if name == "" {
		name = fmt.Sprintf("source %d", id)
	}
	ps := PeriodSource{ID: id, Name: name, Kind: src.Kind}
	days := map[int64]bool{}
	var gaps []MonitoringGap
	cursor := h.From
	for _, r := range h.Runs {
		if r.SourceID != id || r.StartedAt.Before(h.From) || !r.StartedAt.Before(until) {
			continue
		}
		ps.Runs++
		at := r.StartedAt
		if ps.FirstRun == nil {
			ps.FirstRun = &at
		}
		ps.LastRun = &at
		if r.Status != RunOK {
			ps.ErrorRuns++
			continue
		}
		days[Day(at).Unix()/86400] = true
		if at.Sub(cursor) > MaxMonitoringGap {
			to := at
			gaps = append(gaps, MonitoringGap{SourceID: id, SourceName: name, From: cursor, To: &to,
				Resolution: fmt.Sprintf("Runs resumed with run #%d on %s", r.ID, at.UTC().Format("2006-01-02 15:04 UTC"))})
		}
		cursor = at
	}
	if until.Sub(cursor) > MaxMonitoringGap {
		gaps = append(gaps, MonitoringGap{SourceID: id, SourceName: name, From: cursor, Resolution: Unresolved})
	}
	ps.DaysCovered = len(days)
	return ps, days, gaps
}

// failures turns the transitions of the checks into failing windows per
// (check, source, resource). A window opens on a fail and closes on a pass
// or when the resource is gone; an error neither opens nor closes one.
func failures(h MonitorHistory, ids []string, sources map[int64]Source, until time.Time) []CheckFailure {
	type pair struct {
		check, resource string
		source          int64
	}
	open := map[pair]*CheckFailure{}
	var out []CheckFailure
	for _, t := range h.Transitions {
		if !slices.Contains(ids, t.CheckID) || t.ResourceID == "" || !t.At.Before(until) {
			continue
		}
		k := pair{t.CheckID, t.ResourceID, t.SourceID}
		w := open[k]
		switch {
		case t.Status == CheckFail && w == nil:
			from := t.At
			if from.Before(h.From) {
				from = h.From
			}
			name := t.ResourceName
			if name == "" {
				name = t.ResourceID
			}
			open[k] = &CheckFailure{CheckID: t.CheckID, SourceID: t.SourceID, SourceName: sources[t.SourceID].Name, ResourceID: t.ResourceID,
				ResourceName: name, Reason: t.Reason, Since: t.At, From: from}
		case (t.Status == CheckPass || t.Status == CheckGone) && w != nil:
			at := t.At
			w.To, w.ClosedByRun = &at, t.RunID
			switch {
			case t.Status == CheckPass:
				w.Resolution = fmt.Sprintf("Passed again in run #%d on %s", t.RunID, at.UTC().Format("2006-01-02 15:04 UTC"))
			case t.RunID == 0: // no run saw it: the check itself was deleted
				w.Resolution = fmt.Sprintf("The check was deleted on %s", at.UTC().Format("2006-01-02 15:04 UTC"))
			default:
				w.Resolution = fmt.Sprintf("The resource was no longer reported from run #%d on %s", t.RunID, at.UTC().Format("2006-01-02 15:04 UTC"))
			}
			out = append(out, *w)
			delete(open, k)
		}
	}
	for _, w := range open {
		w.Resolution = Unresolved
		out = append(out, *w)
	}
	for i := range out {
		linkFinding(&out[i], h.Findings, until)
	}
	slices.SortFunc(out, func(a, b CheckFailure) int {
		return cmp.Or(a.From.Compare(b.From), strings.Compare(a.CheckID, b.CheckID), cmp.Compare(a.SourceID, b.SourceID), strings.Compare(a.ResourceID, b.ResourceID))
	})
	return out
}

// linkFinding names the finding (and its corrective action) that was open
// for the failure's check and source when it started failing.
func linkFinding(w *CheckFailure, findings []Finding, until time.Time) {
	var best *Finding
	for i := range findings {
		f := &findings[i]
		if f.CheckID != w.CheckID || f.SourceID != w.SourceID || f.OpenedAt.After(w.Since) || (f.ClosedAt != nil && f.ClosedAt.Before(w.Since)) {
			continue
		}
		if best == nil || f.OpenedAt.After(best.OpenedAt) {
			best = f
		}
	}
	if best == nil {
		return
	}
	w.FindingID, w.CorrectiveActionID = best.ID, best.CorrectiveActionID
	if w.Resolution == Unresolved {
		return
	}
	if best.ClosedAt != nil && best.ClosedAt.Before(until) {
		w.Resolution += fmt.Sprintf("; finding #%d closed on %s and its corrective action #%d marked done",
			best.ID, best.ClosedAt.UTC().Format(time.DateOnly), best.CorrectiveActionID)
	} else {
		w.Resolution += fmt.Sprintf("; finding #%d stays open (other resources fail), corrective action #%d", best.ID, best.CorrectiveActionID)
	}
}

// failingDays counts the UTC days on which some failure window was open.
func failingDays(ws []CheckFailure, until time.Time) int {
	days := map[int64]bool{}
	for _, w := range ws {
		end := until
		if w.To != nil && w.To.Before(end) {
			end = *w.To
		}
		for d := Day(w.From); d.Before(end); d = d.AddDate(0, 0, 1) {
			days[d.Unix()/86400] = true
		}
	}
	return len(days)
}

// Exceptions lists the failures and gaps as audit exceptions, oldest
// first.
func (m PeriodMonitoring) Exceptions() []AuditException {
	var out []AuditException
	for _, w := range m.Failures {
		d := fmt.Sprintf("Check %s failed on %s (source %s)", w.CheckID, w.ResourceName, w.SourceName)
		if r := strings.TrimRight(strings.TrimSpace(w.Reason), "."); r != "" {
			d += ": " + r
		}
		if w.Since.Before(w.From) {
			d += fmt.Sprintf("; failing since %s", w.Since.UTC().Format(time.DateOnly))
		}
		if w.FindingID != 0 {
			d += fmt.Sprintf("; finding #%d, corrective action #%d", w.FindingID, w.CorrectiveActionID)
		}
		out = append(out, AuditException{Kind: ExceptionCheckFailing, From: w.From, To: w.To, Detail: d, Resolution: w.Resolution})
	}
	for _, g := range m.Gaps {
		d := fmt.Sprintf("No successful run of source %s since %s", g.SourceName, g.From.UTC().Format("2006-01-02 15:04 UTC"))
		if g.To != nil {
			d = fmt.Sprintf("No successful run of source %s from %s to %s", g.SourceName, g.From.UTC().Format("2006-01-02 15:04 UTC"),
				g.To.UTC().Format("2006-01-02 15:04 UTC"))
		}
		out = append(out, AuditException{Kind: ExceptionMonitoringGap, From: g.From, To: g.To, Detail: d, Resolution: g.Resolution})
	}
	slices.SortStableFunc(out, func(a, b AuditException) int { return a.From.Compare(b.From) })
	return out
}
