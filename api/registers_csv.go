package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/tabular"
)

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
func (s *Server) exportRisksCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
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
			strconv.Itoa(x.ResidualLikelihood), strconv.Itoa(x.ResidualImpact), string(x.Treatment), emails[x.ApproverID], input.DateText(x.AcceptExpires),
			strings.Join(x.Controls, " "), input.DateText(x.ReviewDate), string(x.Status)}
	}
	writeRegisterCSV(w, "risks.csv", csvimport.RiskColumns, rows)
	return nil
}

// GET /api/v1/vendors/export.csv (and /vendors/export.csv)
func (s *Server) exportVendorsCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
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
			input.DateText(v.ContractStart), input.DateText(v.ContractEnd), strconv.FormatBool(v.Subprocessor), v.TierOverride, v.TierOverrideReason,
			input.DateText(v.SOC2PeriodEnd), strings.Join(v.Clauses, " ")}
	}
	writeRegisterCSV(w, "vendors.csv", csvimport.VendorColumns, rows)
	return nil
}

// POST /api/v1/risks/import (body: text/csv)
func (s *Server) apiImportRisks(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	risks, err := csvimport.Risks(r.Context(), s.app, p.App(), r.Body)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"imported": len(risks)})
	return nil
}

// POST /api/v1/vendors/import (body: text/csv)
func (s *Server) apiImportVendors(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	vendors, err := csvimport.Vendors(r.Context(), s.app, p.App(), r.Body)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"imported": len(vendors)})
	return nil
}
