package export

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// Automated testing in the exports: for each control that checks test,
// the checks, their sources' runs in the period, the days a check failed
// and the exceptions (failing windows and gaps without a run), from the
// same computation as an engagement's period view.

// MonitoringHeader are the control matrix's automated-testing columns:
// the last four of MatrixHeader.
var MonitoringHeader = MatrixHeader[len(MatrixHeader)-4:]

// maxCell keeps a cell under the spreadsheet's limit of 32,767 characters.
const maxCell = 30000

func (d *Data) loadMonitoring(ctx context.Context, os store.OrgStore, checks []assay.Check) error {
	ids := make([]string, len(d.Controls))
	for i, c := range d.Controls {
		ids[i] = c.ID
	}
	m, err := rules.PeriodMonitoring(ctx, os, checks, ids, d.Period.Start(), d.Period.End(), d.GeneratedAt)
	if err != nil {
		return fmt.Errorf("monitoring over the period: %w", err)
	}
	d.Monitoring = m
	return nil
}

// MonitoringCells are a control's automated-testing cells, in the order
// of MonitoringHeader; a control no check tests says so.
func (d *Data) MonitoringCells(controlID string) []string {
	m, ok := d.Monitoring[controlID]
	if !ok {
		return []string{"None", "", "", ""}
	}
	return []string{strings.Join(m.Checks, "\n"), runsText(m), fmt.Sprint(m.FailingDays), exceptionsText(m.Exceptions(), maxCell)}
}

// runsText is "720 runs (2 where the collector failed) by web (http);
// 30 of 30 days with a successful run".
func runsText(m assay.PeriodMonitoring) string {
	var srcs []string
	for _, s := range m.Sources {
		srcs = append(srcs, fmt.Sprintf("%s (%s)", s.Name, s.Kind))
	}
	s := fmt.Sprintf("%d runs", m.Runs)
	if m.ErrorRuns > 0 {
		s += fmt.Sprintf(" (%d where the collector failed)", m.ErrorRuns)
	}
	return s + fmt.Sprintf(" by %s; %d of %d days with a successful run", strings.Join(srcs, ", "), m.DaysCovered, m.Days)
}

// exceptionsText lists exceptions one a line, cut to at most limit
// characters with a count of what was left out.
func exceptionsText(ex []assay.AuditException, limit int) string {
	var b strings.Builder
	for i, x := range ex {
		line := exceptionLine(x)
		if b.Len()+len(line)+80 > limit {
			fmt.Fprintf(&b, "… and %d more (see the engagement's period view)", len(ex)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

func exceptionLine(x assay.AuditException) string {
	when := x.From.UTC().Format("2006-01-02 15:04")
	if x.To != nil {
		when += " to " + x.To.UTC().Format("2006-01-02 15:04")
	}
	res := x.Resolution
	if res == assay.Unresolved {
		res = "Unresolved at the end of the period"
	}
	line := fmt.Sprintf("%s UTC: %s. %s.", when, x.Detail, res)
	if utf8.RuneCountInString(line) > 2000 {
		line = string([]rune(line)[:1999]) + "…"
	}
	return line
}

// monitoringSummary is the Summary sheet's line on automated testing.
func (d *Data) monitoringSummary() string {
	controls, failures, gaps := 0, 0, 0
	for _, c := range d.Controls {
		if m, ok := d.Monitoring[c.ID]; ok {
			controls++
			failures += len(m.Failures)
			gaps += len(m.Gaps)
		}
	}
	if controls == 0 {
		return "No control is tested by an automated check that a monitoring source evaluates."
	}
	return fmt.Sprintf("%d controls tested by automated checks; %d failing windows and %d gaps of more than a day without a successful run (see the matrix)",
		controls, failures, gaps)
}

// monitoringObservations are one OSCAL observation per control that checks
// test (method TEST), recorded in obsByControl so each criterion's finding
// links the observations of its controls.
func (d *Data) monitoringObservations(id func(...any) string, obsByControl map[string][]string) []oscalObs {
	var out []oscalObs
	for _, c := range d.Controls {
		m, ok := d.Monitoring[c.ID]
		if !ok {
			continue
		}
		oid := id("monitoring", c.ID)
		desc := fmt.Sprintf("Automated testing of %s %s over %s by checks %s: %s; failing on %d days.",
			c.ID, c.Name, d.Period, strings.Join(m.Checks, ", "), runsText(m), m.FailingDays)
		if ex := m.Exceptions(); len(ex) > 0 {
			desc += "\n\nExceptions:\n" + exceptionsText(ex, 100000)
		} else {
			desc += " No exceptions."
		}
		until := m.Until.UTC()
		if until.IsZero() {
			until = d.GeneratedAt.UTC()
		}
		out = append(out, oscalObs{UUID: oid, Title: "Automated testing of " + c.ID, Description: desc,
			Methods: []string{"TEST"}, Types: []string{"control-objective"}, Collected: until.Truncate(time.Second)})
		obsByControl[c.ID] = append(obsByControl[c.ID], oid)
	}
	return out
}
