package server

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/tabular"
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

func dateCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// writeRegisterCSV sends rows as a CSV download, every cell guarded
// against being run as a spreadsheet formula.
func writeRegisterCSV(w http.ResponseWriter, name string, header []string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// A failed write is a client gone away; the status is already sent.
	_ = tabular.WriteCSV(w, append([][]string{header}, rows...))
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
func (s *Server) exportRisksCSV(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := p.Org.Risks(r.Context())
	if err != nil {
		return err
	}
	emails, _, err := emailsByID(r.Context(), p.Org)
	if err != nil {
		return err
	}
	rows := make([][]string, len(list))
	for i, x := range list {
		rows[i] = []string{strconv.FormatInt(x.ID, 10), x.Category, x.Title, x.Description, emails[x.OwnerID], strconv.Itoa(x.Likelihood), strconv.Itoa(x.Impact),
			strconv.Itoa(x.ResidualLikelihood), strconv.Itoa(x.ResidualImpact), string(x.Treatment), emails[x.ApproverID], dateCell(x.AcceptExpires),
			strings.Join(x.Controls, " "), dateCell(x.ReviewDate), string(x.Status)}
	}
	writeRegisterCSV(w, "risks.csv", riskCSVColumns, rows)
	return nil
}

// GET /api/v1/vendors/export.csv (and /vendors/export.csv)
func (s *Server) exportVendorsCSV(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := p.Org.Vendors(r.Context())
	if err != nil {
		return err
	}
	emails, _, err := emailsByID(r.Context(), p.Org)
	if err != nil {
		return err
	}
	rows := make([][]string, len(list))
	for i, v := range list {
		rows[i] = []string{strconv.FormatInt(v.ID, 10), v.Name, v.Services, v.DataShared, string(v.Classification), v.Criticality, emails[v.OwnerID],
			dateCell(v.ContractStart), dateCell(v.ContractEnd), strconv.FormatBool(v.Subprocessor), v.TierOverride, v.TierOverrideReason,
			dateCell(v.SOC2PeriodEnd), strings.Join(v.Clauses, " ")}
	}
	writeRegisterCSV(w, "vendors.csv", vendorCSVColumns, rows)
	return nil
}

// registerSchema is how an import reads a register's columns: by header
// name, every one known (id is read and ignored), the required ones
// present, as many cells on a row as in the header, and the export's
// formula guard undone.
func registerSchema(columns, required []string, maxRows int) tabular.Schema {
	s := tabular.Schema{RejectUnknown: true, FixedWidth: true, Unguard: true, MaxRows: maxRows}
	for _, c := range columns {
		s.Columns = append(s.Columns, tabular.Column{Name: c, Required: contains(required, c)})
	}
	return s
}

func userCell(row tabular.Row, col string, byEmail map[string]int64) (int64, error) {
	email := strings.ToLower(row.Get(col))
	if email == "" {
		return 0, nil
	}
	id, ok := byEmail[email]
	if !ok {
		return 0, assay.Invalid(col, "no user with email %s", email)
	}
	return id, nil
}

func intCell(row tabular.Row, col string) (int, error) {
	v := row.Get(col)
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
	return ImportRisksCSV(ctx, s.app, p.app(), body)
}

// ImportRisksCSV reads a risk register file (CSV or XLSX; people named by
// email, controls by id) and adds every row or none, through the
// application: the web, the API and the CLI import through it, and a
// refusal comes before the file is read.
func ImportRisksCSV(ctx context.Context, a *app.App, p app.Principal, body io.Reader) ([]assay.Risk, error) {
	refs, err := a.RegisterImportRefs(ctx, p)
	if err != nil {
		return nil, err
	}
	risks, err := risksFromCSV(body, refs.UserByEmail, refs.Controls)
	if err != nil {
		return nil, err
	}
	return a.CreateRisks(ctx, p, risks)
}

// risksFromCSV reads a risk register file; people are named by email
// (byEmail) and controls must be known. Every bad row is reported.
func risksFromCSV(body io.Reader, byEmail map[string]int64, known map[string]bool) ([]assay.Risk, error) {
	table, err := tabular.Read(body, registerSchema(riskCSVColumns, riskCSVRequired, assay.MaxRisksPerCall))
	if err != nil {
		return nil, assay.InvalidTable("file", err)
	}
	var bad tabular.Errors
	risks := make([]assay.Risk, 0, len(table.Rows))
	for _, row := range table.Rows {
		r, err := riskFromRow(row, byEmail, known)
		if err != nil {
			bad = append(bad, assay.TableRowError(row, err))
			continue
		}
		risks = append(risks, r)
	}
	if err := bad.Err(); err != nil {
		return nil, assay.InvalidTable("file", err)
	}
	return risks, nil
}

func riskFromRow(row tabular.Row, byEmail map[string]int64, known map[string]bool) (assay.Risk, error) {
	b := riskBody{Category: row.Get("category"), Title: row.Get("title"), Description: row.Get("description"), Treatment: row.Get("treatment"),
		AcceptExpires: row.Get("accept_expires"), ReviewDate: row.Get("review_date"), Status: row.Get("status"),
		Controls: strings.FieldsFunc(row.Get("controls"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' })}
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
	return ImportVendorsCSV(ctx, s.app, p.app(), body)
}

// ImportVendorsCSV is ImportRisksCSV for the vendor register: a name may be
// neither taken nor repeated.
func ImportVendorsCSV(ctx context.Context, a *app.App, p app.Principal, body io.Reader) ([]assay.Vendor, error) {
	refs, err := a.RegisterImportRefs(ctx, p)
	if err != nil {
		return nil, err
	}
	vendors, err := vendorsFromCSV(body, refs.UserByEmail, refs.VendorNames)
	if err != nil {
		return nil, err
	}
	return a.CreateVendors(ctx, p, vendors)
}

// vendorsFromCSV reads a vendor register file; people are named by email
// (byEmail), and a name may be neither taken (existing, lower-cased) nor
// repeated. Every bad row is reported.
func vendorsFromCSV(body io.Reader, byEmail map[string]int64, existing map[string]bool) ([]assay.Vendor, error) {
	table, err := tabular.Read(body, registerSchema(vendorCSVColumns, vendorCSVRequired, assay.MaxVendorsPerCall))
	if err != nil {
		return nil, assay.InvalidTable("file", err)
	}
	names := map[string]int{}
	for name := range existing {
		names[name] = 0
	}
	var bad tabular.Errors
	vendors := make([]assay.Vendor, 0, len(table.Rows))
	for _, row := range table.Rows {
		v, err := vendorFromRow(row, byEmail)
		if err == nil {
			if line, dup := names[strings.ToLower(v.Name)]; dup {
				if line == 0 {
					err = assay.Invalid("name", "a vendor named %q already exists", v.Name)
				} else {
					err = assay.Invalid("name", "the vendor %q is also on line %d", v.Name, line)
				}
			} else {
				names[strings.ToLower(v.Name)] = row.Line
			}
		}
		if err != nil {
			bad = append(bad, assay.TableRowError(row, err))
			continue
		}
		vendors = append(vendors, v)
	}
	if err := bad.Err(); err != nil {
		return nil, assay.InvalidTable("file", err)
	}
	return vendors, nil
}

func vendorFromRow(row tabular.Row, byEmail map[string]int64) (assay.Vendor, error) {
	b := vendorBody{Name: row.Get("name"), Services: row.Get("services"), DataShared: row.Get("data_shared"), Classification: row.Get("classification"),
		Criticality: row.Get("criticality"), ContractStart: row.Get("contract_start"), ContractEnd: row.Get("contract_end"),
		TierOverride: row.Get("tier_override"), TierOverrideReason: row.Get("tier_override_reason"), SOC2PeriodEnd: row.Get("soc2_period_end"),
		Clauses: strings.FieldsFunc(row.Get("clauses"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' })}
	switch strings.ToLower(row.Get("subprocessor")) {
	case "", "no", "false", "0":
	case "yes", "true", "1":
		b.Subprocessor = true
	default:
		return assay.Vendor{}, assay.Invalid("subprocessor", "subprocessor must be yes or no, not %q", row.Get("subprocessor"))
	}
	var err error
	if b.OwnerID, err = userCell(row, "owner_email", byEmail); err != nil {
		return assay.Vendor{}, err
	}
	return b.vendor()
}

// POST /api/v1/risks/import (body: text/csv)
func (s *Server) apiImportRisks(w http.ResponseWriter, r *http.Request, p *principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	risks, err := s.importRisks(r.Context(), p, r.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"imported": len(risks)})
	return nil
}

// POST /api/v1/vendors/import (body: text/csv)
func (s *Server) apiImportVendors(w http.ResponseWriter, r *http.Request, p *principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	vendors, err := s.importVendors(r.Context(), p, r.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"imported": len(vendors)})
	return nil
}
