package csvimport

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/tabular"
)

// RequestListColumns is an auditor's request list as Assay reads it.
// Auditors' trackers name these columns many ways; the aliases below are
// the common ones.
var RequestListColumns = []string{"reference", "request", "control", "due_date", "assignee", "sample", "sample_id"}

var requestListAliases = map[string][]string{
	"reference": {"ref", "request_ref", "request_id", "request_no", "request_number", "pbc", "pbc_ref", "pbc_no", "pbc_number", "item", "item_no", "no"},
	"request":   {"description", "request_description", "details", "evidence_requested", "document_requested", "requested_item", "information_requested"},
	"control":   {"control_id", "control_ref", "control_number", "control_no"},
	"due_date":  {"due", "date_due", "deadline", "due_by"},
	"assignee":  {"owner", "owner_email", "assignee_email", "assigned_to", "responsible", "contact"},
	"sample":    {"sample_item", "sample_key", "sampled_item", "selection"},
	"sample_id": {"sample_no", "sample_number"},
}

func requestListSchema() tabular.Schema {
	s := withAliases(importSchema(RequestListColumns, "request", "control", "due_date"), requestListAliases)
	s.MaxRows = assay.MaxRequestList
	return s
}

// RequestList reads an auditor's request list (CSV, tab-separated or
// XLSX; reference, request, control and due date, with the assignee by
// e-mail and a sampled item optional) and puts every line on the
// engagement's list, or none. A request without an assignee goes to its
// control's owner. A line's sample names an item drawn by one of the
// engagement's samples (sample_id says which when several drew it).
func RequestList(ctx context.Context, a *app.App, p app.Principal, auditID int64, text string) ([]assay.EvidenceRequest, error) {
	if _, err := a.Audit(ctx, p, auditID); err != nil {
		return nil, err
	}
	owners, err := a.Owners(ctx, p)
	if err != nil {
		return nil, err
	}
	byEmail := map[string]int64{}
	for _, u := range owners {
		byEmail[strings.ToLower(u.Email)] = u.ID
	}
	samples, err := a.AuditSamples(ctx, p, auditID)
	if err != nil {
		return nil, err
	}
	now := a.Now()
	var list []assay.NewEvidenceRequest
	lines, err := readImportRows(text, requestListSchema(), func(row tabular.Row) error {
		n, err := requestLine(row, byEmail, samples, now)
		if err == nil {
			list = append(list, n)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out, err := a.CreateRequestList(ctx, p, auditID, list)
	return out, requestToLine(err, lines)
}

// requestLine builds one request from a row of the list.
func requestLine(row tabular.Row, byEmail map[string]int64, samples []assay.AuditSample, now time.Time) (assay.NewEvidenceRequest, error) {
	n := assay.NewEvidenceRequest{Reference: row.Get("reference"), Description: row.Get("request"), ControlID: row.Get("control")}
	due, err := parseListDate(row.Get("due_date"))
	if err != nil {
		return n, err
	}
	n.DueDate = due
	if n.AssigneeID, err = userCell(row, "assignee", byEmail); err != nil {
		return n, assay.Invalid("assignee", "No one who can answer has the e-mail %s; leave it empty to ask the control's owner.", row.Get("assignee"))
	}
	if item := row.Get("sample"); item != "" {
		if n.SampleID, err = sampleOf(item, row.Get("sample_id"), samples); err != nil {
			return n, err
		}
		n.SampleItem = item
	}
	return n, nil
}

// sampleOf finds the sample that drew item: the one sampleID names, or
// the only one that drew it.
func sampleOf(item, sampleID string, samples []assay.AuditSample) (int64, error) {
	if sampleID != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.ToUpper(sampleID), "S"), 10, 64)
		if err != nil {
			return 0, assay.Invalid("sample_id", "sample id must be a sample's number, not %q", sampleID)
		}
		return id, nil
	}
	var found []int64
	for _, s := range samples {
		for _, k := range s.Keys {
			if k == item {
				found = append(found, s.ID)
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return 0, assay.Invalid("sample", "no sample of this engagement drew %q", item)
	case 1:
		return found[0], nil
	}
	return 0, assay.Invalid("sample_id", "samples %v all drew %q; say which in sample_id", found, item)
}

// Auditors' trackers write dates many ways; Excel may also give the day's
// serial number. Slashed dates are month first (the US order, as in most
// SOC 2 trackers) unless the first number cannot be a month.
var listDateLayouts = []string{"2006-01-02", "2006/01/02", "1/2/2006", "1/2/06", "2 Jan 2006", "2 January 2006", "Jan 2, 2006",
	"January 2, 2006", "02-Jan-2006", "2-Jan-06", "02-Jan-06", "1-2-06", "01-02-06", time.RFC3339}

func parseListDate(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, assay.Invalid("due_date", "give a due date")
	}
	if serial, err := strconv.Atoi(v); err == nil && serial > 20000 && serial < 80000 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, serial), nil
	}
	if d, m, y, ok := dayFirst(v); ok {
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
	}
	for _, layout := range listDateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return assay.Day(t.UTC()), nil
		}
	}
	return time.Time{}, assay.Invalid("due_date", "%q is not a date; write it like 2027-01-31", v)
}

// dayFirst reads 31/01/2027: a slashed date whose first number is over 12.
func dayFirst(v string) (d, m, y int, ok bool) {
	parts := strings.Split(v, "/")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var err error
	if d, err = strconv.Atoi(parts[0]); err != nil || d <= 12 || d > 31 {
		return 0, 0, 0, false
	}
	if m, err = strconv.Atoi(parts[1]); err != nil || m < 1 || m > 12 {
		return 0, 0, 0, false
	}
	if y, err = strconv.Atoi(parts[2]); err != nil {
		return 0, 0, 0, false
	}
	if y < 100 {
		y += 2000
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return d, m, y, t.Day() == d
}

// requestToLine turns the store's "Request N: reason" (N counting the
// list's accepted rows from 1) into the line the auditor can find.
func requestToLine(err error, lines []int) error {
	if err == nil {
		return nil
	}
	msg := assay.ErrorMessage(err)
	var n int
	if _, serr := fmt.Sscanf(msg, "Request %d:", &n); serr == nil && n >= 1 && n <= len(lines) {
		return assay.Invalid("csv", "Nothing was imported. Fix line %d: %s", lines[n-1], strings.TrimSpace(msg[strings.Index(msg, ":")+1:]))
	}
	if len(lines) == 1 && assay.ErrorCode(err) == assay.EINVALID {
		return assay.Invalid("csv", "Nothing was imported. Fix line %d: %s", lines[0], msg)
	}
	return err
}
