package export

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// The auditor's workpaper: the engagement seen the way an auditor's
// control matrix or request tracker lays it out, one row per control in
// the frozen scope, with the samples and requests on their own sheets.
const (
	WorkpaperSheet = "Workpaper"
	SamplesSheet   = "Samples"
	RequestsSheet  = "Requests"
)

// WorkpaperHeader is the workpaper sheet's header row.
var WorkpaperHeader = []string{
	"Control", "Control name", "Criteria", "Owner", "How it is tested", "Population", "Population size",
	"Sample items", "Evidence (title, id, effective date, received, SHA-256)", "Result", "Exceptions",
	"Management response", "Requests (status)",
}

var workpaperWidths = []float64{10, 30, 16, 18, 36, 28, 10, 40, 70, 22, 60, 50, 40}

// SamplesHeader and RequestsHeader are the other sheets' header rows.
var (
	SamplesHeader  = []string{"Sample", "Population", "Control", "Population size", "Population rows SHA-256", "Seed", "Drawn by", "Drawn at", "Item", "Item label", "Item date"}
	RequestsHeader = []string{"Request", "Reference", "Control", "Sampled item", "Asked of", "Asked by", "Asked on", "Due", "Status", "Overdue", "Comments", "Evidence (SHA-256)"}
	samplesWidths  = []float64{8, 16, 10, 10, 66, 22, 18, 18, 16, 50, 18}
	requestsWidths = []float64{8, 12, 10, 16, 18, 18, 12, 12, 14, 8, 10, 60}
)

// Workpaper is what the workpaper is written from.
type Workpaper struct {
	Org         assay.Organization
	Period      assay.AuditPeriod
	Controls    map[string]assay.Control
	Samples     []WorkpaperSample
	GeneratedAt time.Time
}

// WorkpaperSample is a sample with the population it was drawn from.
type WorkpaperSample struct {
	assay.AuditSample
	Population assay.Population
}

// LoadWorkpaper reads an engagement's period view, controls and samples
// (each with its frozen population).
func LoadWorkpaper(ctx context.Context, os store.OrgStore, auditID int64, now time.Time) (*Workpaper, error) {
	org, err := os.Organization(ctx)
	if err != nil {
		return nil, err
	}
	period, err := os.AuditPeriod(ctx, auditID)
	if err != nil {
		return nil, err
	}
	controls, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return nil, err
	}
	wp := &Workpaper{Org: org, Period: period, Controls: map[string]assay.Control{}, GeneratedAt: now.UTC()}
	for _, c := range controls {
		wp.Controls[c.ID] = c
	}
	samples, err := os.AuditSamples(ctx, auditID)
	if err != nil {
		return nil, err
	}
	for _, s := range samples {
		pop, err := os.AuditSamplePopulation(ctx, auditID, s.ID)
		if err != nil {
			return nil, err
		}
		wp.Samples = append(wp.Samples, WorkpaperSample{AuditSample: s, Population: pop})
	}
	return wp, nil
}

// Rows is the workpaper sheet: one row per control in the frozen scope.
func (wp *Workpaper) Rows() [][]string {
	now := wp.GeneratedAt
	var rows [][]string
	for _, pc := range wp.Period.Controls {
		c := wp.Controls[pc.ID]
		var pops, sizes, items []string
		for _, s := range wp.Samples {
			if s.ControlID != pc.ID {
				continue
			}
			pops = append(pops, fmt.Sprintf("%s (sample %d, seed %d)", s.AuditSample.Population, s.ID, s.Seed))
			sizes = append(sizes, strconv.Itoa(s.PopulationSize))
			items = append(items, s.Keys...)
		}
		var ev []string
		for _, e := range pc.Evidence {
			effective := e.CollectedAt.Format(time.DateOnly)
			if e.PeriodStart != nil && e.PeriodEnd != nil {
				effective = e.PeriodStart.Format(time.DateOnly) + " to " + e.PeriodEnd.Format(time.DateOnly)
			}
			line := fmt.Sprintf("%s (#%d, effective %s, received %s", e.Title, e.ID, effective, e.CreatedAt.Format(time.DateOnly))
			if e.SHA256 != "" {
				line += ", sha256:" + e.SHA256
			}
			ev = append(ev, line+")")
		}
		result := "No exceptions noted"
		var exc, resp []string
		for _, x := range pc.Exceptions {
			span := x.From.Format(time.DateOnly)
			if x.To != nil {
				span += " to " + x.To.Format(time.DateOnly)
			}
			exc = append(exc, fmt.Sprintf("%s (%s): %s", strings.ReplaceAll(x.Kind, "_", " "), span, x.Detail))
			resp = append(resp, x.Resolution)
		}
		if len(exc) > 0 {
			result = fmt.Sprintf("Exceptions noted (%d)", len(exc))
		}
		var reqs []string
		for _, r := range pc.Requests {
			line := fmt.Sprintf("#%d %s, due %s", r.ID, r.Status.Label(), r.DueDate.Format(time.DateOnly))
			if r.Overdue(now) {
				line += ", overdue"
			}
			reqs = append(reqs, line)
		}
		rows = append(rows, []string{pc.ID, pc.Name, strings.Join(pc.Criteria, ", "), c.OwnerName,
			howTested(c.Frequency, c.Kind, c.Automation, c.AutomationNote), strings.Join(pops, "\n"), strings.Join(sizes, "\n"),
			strings.Join(items, "\n"), strings.Join(ev, "\n"), result, strings.Join(exc, "\n"), strings.Join(resp, "\n"), strings.Join(reqs, "\n")})
	}
	return rows
}

// SampleRows is the samples sheet: one row per sampled item.
func (wp *Workpaper) SampleRows() [][]string {
	var rows [][]string
	for _, s := range wp.Samples {
		byKey := map[string]assay.PopulationItem{}
		for _, it := range s.Population.Items {
			byKey[it.Key] = it
		}
		digest := s.RowsDigest
		for _, k := range s.Keys {
			it := byKey[k]
			at := ""
			if !it.At.IsZero() {
				at = it.At.UTC().Format("2006-01-02 15:04")
			}
			rows = append(rows, []string{strconv.FormatInt(s.ID, 10), s.AuditSample.Population, s.ControlID, strconv.Itoa(s.PopulationSize),
				digest, strconv.FormatUint(s.Seed, 10), s.CreatedByName, s.CreatedAt.UTC().Format("2006-01-02 15:04"), k, it.Label, at})
		}
	}
	return rows
}

// RequestRows is the requests sheet: the evidence requests of the
// controls in scope.
func (wp *Workpaper) RequestRows() [][]string {
	var rows [][]string
	for _, pc := range wp.Period.Controls {
		for _, r := range pc.Requests {
			var ev []string
			for _, e := range r.Evidence {
				line := fmt.Sprintf("%s (#%d", e.Title, e.ID)
				if e.SHA256 != "" {
					line += ", sha256:" + e.SHA256
				}
				ev = append(ev, line+")")
			}
			overdue := ""
			if r.Overdue(wp.GeneratedAt) {
				overdue = "yes"
			}
			item := r.SampleItem
			if item != "" {
				item = fmt.Sprintf("%s (sample %d)", item, r.SampleID)
			}
			rows = append(rows, []string{strconv.FormatInt(r.ID, 10), r.Reference, r.ControlID, item, r.AssigneeName, r.RequestedByName,
				r.CreatedAt.Format(time.DateOnly), r.DueDate.Format(time.DateOnly), r.Status.Label(), overdue, strconv.Itoa(r.Comments), strings.Join(ev, "\n")})
		}
	}
	return rows
}

// WriteWorkpaper writes the workpaper as XLSX: a summary, the workpaper,
// the samples and the requests.
func WriteWorkpaper(w io.Writer, wp *Workpaper) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SummarySheet); err != nil {
		return err
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	a := wp.Period.Audit
	exceptions := 0
	for _, pc := range wp.Period.Controls {
		exceptions += len(pc.Exceptions)
	}
	summary := [][]string{
		{"Organisation", wp.Org.Name},
		{"Engagement", a.Name},
		{"Audit firm", a.Firm},
		{"Type", string(a.Type)},
		{"Period", wp.Period.Start.Format(time.DateOnly) + " to " + wp.Period.End.AddDate(0, 0, -1).Format(time.DateOnly)},
		{"Scope frozen", a.Scope.FrozenAt.UTC().Format("2006-01-02 15:04") + " UTC"},
		{"Controls in scope", strconv.Itoa(len(wp.Period.Controls))},
		{"Exceptions", strconv.Itoa(exceptions)},
		{"Samples", strconv.Itoa(len(wp.Samples))},
		{"Generated", wp.GeneratedAt.Format("2006-01-02 15:04") + " UTC"},
	}
	if err := writeTable(f, st, SummarySheet, []string{"Item", "Value"}, []float64{22, 60}, summary); err != nil {
		return err
	}
	for _, t := range []struct {
		sheet  string
		header []string
		widths []float64
		rows   [][]string
	}{
		{WorkpaperSheet, WorkpaperHeader, workpaperWidths, wp.Rows()},
		{SamplesSheet, SamplesHeader, samplesWidths, wp.SampleRows()},
		{RequestsSheet, RequestsHeader, requestsWidths, wp.RequestRows()},
	} {
		if err := writeTable(f, st, t.sheet, t.header, t.widths, t.rows); err != nil {
			return err
		}
	}
	f.SetActiveSheet(1)
	_, err = f.WriteTo(w)
	return err
}
