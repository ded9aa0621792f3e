package server

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// The CSV columns of the registers. Export writes them all (with id
// first); import reads them by header name, ignores id, and needs at least
// the required ones. People are named by email.
var (
	riskCSVColumns = []string{"id", "category", "title", "description", "owner_email", "likelihood", "impact", "residual_likelihood",
		"residual_impact", "treatment", "approver_email", "accept_expires", "controls", "review_date", "status"}
	riskCSVRequired  = []string{"category", "title", "likelihood", "impact"}
	vendorCSVColumns = []string{"id", "name", "services", "data_shared", "classification", "criticality", "owner_email", "contract_start",
		"contract_end", "subprocessor", "tier_override", "tier_override_reason", "soc2_period_end", "clauses"}
	vendorCSVRequired = []string{"name", "classification", "criticality"}
)

// maxCSVErrors is how many bad rows an import reports at once.
const maxCSVErrors = 20

func dateCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// writeRegisterCSV sends rows as a CSV download.
func writeRegisterCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	for _, r := range rows {
		for i, c := range r {
			// Cells that a spreadsheet would run as a formula are quoted.
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				r[i] = "'" + c
			}
		}
		_ = cw.Write(r)
	}
	cw.Flush()
}

func emailsByID(ctx context.Context, o store.OrgStore) (map[int64]string, map[string]int64, error) {
	users, err := o.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID, byEmail := map[int64]string{}, map[string]int64{}
	for _, u := range users {
		byID[u.ID] = u.Email
		byEmail[strings.ToLower(u.Email)] = u.ID
	}
	return byID, byEmail, nil
}

// GET /api/v1/risks/export.csv (and /risks/export.csv)
func (s *Server) exportRisksCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.Risks(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	emails, _, err := emailsByID(r.Context(), p.Org)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows := make([][]string, len(list))
	for i, x := range list {
		rows[i] = []string{strconv.FormatInt(x.ID, 10), x.Category, x.Title, x.Description, emails[x.OwnerID], strconv.Itoa(x.Likelihood), strconv.Itoa(x.Impact),
			strconv.Itoa(x.ResidualLikelihood), strconv.Itoa(x.ResidualImpact), string(x.Treatment), emails[x.ApproverID], dateCell(x.AcceptExpires),
			strings.Join(x.Controls, " "), dateCell(x.ReviewDate), string(x.Status)}
	}
	writeRegisterCSV(w, "risks.csv", riskCSVColumns, rows)
}

// GET /api/v1/vendors/export.csv (and /vendors/export.csv)
func (s *Server) exportVendorsCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.Vendors(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	emails, _, err := emailsByID(r.Context(), p.Org)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows := make([][]string, len(list))
	for i, v := range list {
		rows[i] = []string{strconv.FormatInt(v.ID, 10), v.Name, v.Services, v.DataShared, string(v.Classification), v.Criticality, emails[v.OwnerID],
			dateCell(v.ContractStart), dateCell(v.ContractEnd), strconv.FormatBool(v.Subprocessor), v.TierOverride, v.TierOverrideReason,
			dateCell(v.SOC2PeriodEnd), strings.Join(v.Clauses, " ")}
	}
	writeRegisterCSV(w, "vendors.csv", vendorCSVColumns, rows)
}

// csvRow is one data row: its cells by column name and its line number.
type csvRow struct {
	line  int
	cells map[string]string
}

func (c csvRow) get(col string) string { return strings.TrimSpace(c.cells[col]) }

// readCSV reads a CSV with a header row, checking the columns are known
// and the required ones present.
func readCSV(body io.Reader, known, required []string, maxRows int) ([]csvRow, error) {
	cr := csv.NewReader(body)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, assay.Invalid("file", "The CSV file is empty; the first line must name the columns.")
	} else if err != nil {
		return nil, assay.Invalid("file", "Line 1: %s.", csvErr(err))
	}
	for i, h := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(known, header[i]) {
			return nil, assay.Invalid("file", "Line 1: unknown column %q; the columns are: %s.", h, strings.Join(known, ", "))
		}
	}
	for _, req := range required {
		if !contains(header, req) {
			return nil, assay.Invalid("file", "Line 1: the column %q is missing.", req)
		}
	}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, assay.Invalid("file", "Line %d: %s.", line, csvErr(err))
		}
		if len(rec) != len(header) {
			return nil, assay.Invalid("file", "Line %d: %d cells, but the header has %d columns.", line, len(rec), len(header))
		}
		row := csvRow{line: line, cells: map[string]string{}}
		for i, h := range header {
			row.cells[h] = strings.TrimPrefix(rec[i], "'")
		}
		rows = append(rows, row)
		if len(rows) > maxRows {
			return nil, assay.Invalid("file", "At most %d rows at a time.", maxRows)
		}
	}
	if len(rows) == 0 {
		return nil, assay.Invalid("file", "The CSV file has a header but no rows.")
	}
	return rows, nil
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// rowErrors collects the bad rows of an import.
type rowErrors []string

func (e *rowErrors) add(line int, err error) {
	*e = append(*e, fmt.Sprintf("line %d: %s", line, assay.ErrorMessage(err)))
}

func (e rowErrors) err() error {
	if len(e) == 0 {
		return nil
	}
	shown := e
	if len(shown) > maxCSVErrors {
		shown = shown[:maxCSVErrors]
	}
	msg := fmt.Sprintf("Nothing was imported: %d bad row(s). %s.", len(e), strings.Join(shown, "; "))
	if len(e) > maxCSVErrors {
		msg += fmt.Sprintf(" (and %d more)", len(e)-maxCSVErrors)
	}
	return assay.Invalid("file", "%s", msg)
}

func userCell(row csvRow, col string, byEmail map[string]int64) (int64, error) {
	email := strings.ToLower(row.get(col))
	if email == "" {
		return 0, nil
	}
	id, ok := byEmail[email]
	if !ok {
		return 0, assay.Invalid(col, "no user with email %s", email)
	}
	return id, nil
}

func intCell(row csvRow, col string) (int, error) {
	v := row.get(col)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, assay.Invalid(col, "%s must be a whole number, not %q", col, v)
	}
	return n, nil
}

// importRisks parses and validates every row, then writes them all in one
// transaction; a bad row means nothing is written.
func (s *Server) importRisks(ctx context.Context, p *principal, body io.Reader) ([]assay.Risk, error) {
	rows, err := readCSV(body, riskCSVColumns, riskCSVRequired, assay.MaxRisksPerCall)
	if err != nil {
		return nil, err
	}
	_, byEmail, err := emailsByID(ctx, p.Org)
	if err != nil {
		return nil, err
	}
	controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, c := range controls {
		known[c.ID] = true
	}
	var bad rowErrors
	risks := make([]assay.Risk, 0, len(rows))
	for _, row := range rows {
		r, err := riskFromRow(row, byEmail, known)
		if err != nil {
			bad.add(row.line, err)
			continue
		}
		risks = append(risks, r)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return p.Org.CreateRisks(ctx, p.actor(), risks)
}

func riskFromRow(row csvRow, byEmail map[string]int64, known map[string]bool) (assay.Risk, error) {
	b := riskBody{Category: row.get("category"), Title: row.get("title"), Description: row.get("description"), Treatment: row.get("treatment"),
		AcceptExpires: row.get("accept_expires"), ReviewDate: row.get("review_date"), Status: row.get("status"),
		Controls: strings.FieldsFunc(row.get("controls"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' })}
	var err error
	for _, f := range []struct {
		dst *int
		col string
	}{{&b.Likelihood, "likelihood"}, {&b.Impact, "impact"}, {&b.ResidualLikelihood, "residual_likelihood"}, {&b.ResidualImpact, "residual_impact"}} {
		if *f.dst, err = intCell(row, f.col); err != nil {
			return assay.Risk{}, err
		}
	}
	if b.OwnerID, err = userCell(row, "owner_email", byEmail); err != nil {
		return assay.Risk{}, err
	}
	if b.ApproverID, err = userCell(row, "approver_email", byEmail); err != nil {
		return assay.Risk{}, err
	}
	r, err := b.risk()
	if err != nil {
		return r, err
	}
	for _, c := range r.Controls {
		if !known[c] {
			return r, assay.Invalid("controls", "no control %s in this organisation", c)
		}
	}
	return r, nil
}

// importVendors is importRisks for vendors.
func (s *Server) importVendors(ctx context.Context, p *principal, body io.Reader) ([]assay.Vendor, error) {
	rows, err := readCSV(body, vendorCSVColumns, vendorCSVRequired, assay.MaxVendorsPerCall)
	if err != nil {
		return nil, err
	}
	_, byEmail, err := emailsByID(ctx, p.Org)
	if err != nil {
		return nil, err
	}
	existing, err := p.Org.Vendors(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]int{}
	for _, v := range existing {
		names[strings.ToLower(v.Name)] = 0
	}
	var bad rowErrors
	vendors := make([]assay.Vendor, 0, len(rows))
	for _, row := range rows {
		v, err := vendorFromRow(row, byEmail)
		if err == nil {
			if line, dup := names[strings.ToLower(v.Name)]; dup {
				if line == 0 {
					err = assay.Invalid("name", "a vendor named %q already exists", v.Name)
				} else {
					err = assay.Invalid("name", "the vendor %q is also on line %d", v.Name, line)
				}
			} else {
				names[strings.ToLower(v.Name)] = row.line
			}
		}
		if err != nil {
			bad.add(row.line, err)
			continue
		}
		vendors = append(vendors, v)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return p.Org.CreateVendors(ctx, p.actor(), vendors)
}

func vendorFromRow(row csvRow, byEmail map[string]int64) (assay.Vendor, error) {
	b := vendorBody{Name: row.get("name"), Services: row.get("services"), DataShared: row.get("data_shared"), Classification: row.get("classification"),
		Criticality: row.get("criticality"), ContractStart: row.get("contract_start"), ContractEnd: row.get("contract_end"),
		TierOverride: row.get("tier_override"), TierOverrideReason: row.get("tier_override_reason"), SOC2PeriodEnd: row.get("soc2_period_end"),
		Clauses: strings.FieldsFunc(row.get("clauses"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' })}
	switch strings.ToLower(row.get("subprocessor")) {
	case "", "no", "false", "0":
	case "yes", "true", "1":
		b.Subprocessor = true
	default:
		return assay.Vendor{}, assay.Invalid("subprocessor", "subprocessor must be yes or no, not %q", row.get("subprocessor"))
	}
	var err error
	if b.OwnerID, err = userCell(row, "owner_email", byEmail); err != nil {
		return assay.Vendor{}, err
	}
	return b.vendor()
}

// POST /api/v1/risks/import (body: text/csv)
func (s *Server) apiImportRisks(w http.ResponseWriter, r *http.Request, p *principal) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	risks, err := s.importRisks(r.Context(), p, r.Body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"imported": len(risks)})
}

// POST /api/v1/vendors/import (body: text/csv)
func (s *Server) apiImportVendors(w http.ResponseWriter, r *http.Request, p *principal) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	vendors, err := s.importVendors(r.Context(), p, r.Body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"imported": len(vendors)})
}
