package csvimport

import (
	"context"
	"io"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/tabular"
)

// The CSV columns of the registers. Export writes them all (with id
// first); import reads them by header name, ignores id, and needs at least
// the required ones. People are named by email.
var (
	RiskColumns = []string{"id", "category", "title", "description", "owner_email", "likelihood", "impact", "residual_likelihood",
		"residual_impact", "treatment", "approver_email", "accept_expires", "controls", "review_date", "status"}
	riskCSVRequired = []string{"category", "title", "likelihood", "impact"}
	VendorColumns   = []string{"id", "name", "services", "data_shared", "classification", "criticality", "owner_email", "contract_start",
		"contract_end", "subprocessor", "tier_override", "tier_override_reason", "soc2_period_end", "clauses"}
	vendorCSVRequired = []string{"name", "classification", "criticality"}
)

// Risks reads a risk register file (CSV or XLSX; people named by
// email, controls by id) and adds every row or none, through the
// application: the web, the API and the CLI import through it, and a
// refusal comes before the file is read.
func Risks(ctx context.Context, a *app.App, p app.Principal, body io.Reader) ([]assay.Risk, error) {
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
	table, err := tabular.Read(body, registerSchema(RiskColumns, riskCSVRequired, assay.MaxRisksPerCall))
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
	b := input.RiskBody{Category: row.Get("category"), Title: row.Get("title"), Description: row.Get("description"), Treatment: row.Get("treatment"),
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
	r, err := b.Risk()
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

// Vendors is Risks for the vendor register: a name may be
// neither taken nor repeated.
func Vendors(ctx context.Context, a *app.App, p app.Principal, body io.Reader) ([]assay.Vendor, error) {
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
	table, err := tabular.Read(body, registerSchema(VendorColumns, vendorCSVRequired, assay.MaxVendorsPerCall))
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
	b := input.VendorBody{Name: row.Get("name"), Services: row.Get("services"), DataShared: row.Get("data_shared"), Classification: row.Get("classification"),
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
	return b.Vendor()
}
