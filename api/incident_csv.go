package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/tabular"
)

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writeCSV sends rows (the header first) as a CSV download, every cell
// guarded against being run as a spreadsheet formula.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	// A failed write is a client gone away; the status is already sent.
	_ = tabular.WriteCSV(w, rows)
}

// GET /api/v1/incidents/export.csv
func (s *Server) incidentsCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.Incidents(r.Context(), p.App(), assay.IncidentFilter{})
	if err != nil {
		return err
	}
	rows := [][]string{append([]string(nil), csvimport.IncidentColumns...)}
	for _, i := range list {
		var rc, ww, ti string
		if i.Review != nil {
			rc, ww, ti = i.Review.RootCause, i.Review.WentWell, i.Review.ToImprove
		}
		rows = append(rows, []string{strconv.FormatInt(i.ID, 10), i.Title, string(i.Status), string(i.Severity), strconv.FormatBool(i.Exercise),
			strconv.FormatBool(i.PersonalData), strconv.FormatBool(i.CustomerData), csvTime(&i.OccurredAt), csvTime(&i.DetectedAt),
			csvTime(&i.ReportedAt), csvTime(i.ContainedAt), csvTime(i.ResolvedAt), csvTime(i.ClosedAt), csvTime(i.CustomerNoticeDue()),
			csvTime(i.CustomerNotifiedAt), csvTime(i.RegulatorNoticeDue()), csvTime(i.RegulatorNotifiedAt), rc, ww, ti})
	}
	writeCSV(w, "incidents.csv", rows)
	return nil
}

// GET /api/v1/corrective-actions/export.csv
func (s *Server) correctiveCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.CorrectiveActions(r.Context(), p.App(), assay.CorrectiveFilter{})
	var users []assay.User
	if err == nil {
		users, err = p.Org.Users(r.Context())
	}
	if err != nil {
		return err
	}
	email := map[int64]string{}
	for _, u := range users {
		email[u.ID] = u.Email
	}
	rows := [][]string{append([]string(nil), csvimport.CorrectiveColumns...)}
	for _, c := range app.ViewCorrectives(list, s.clock.Now()) {
		inc := ""
		if c.IncidentID != 0 {
			inc = strconv.FormatInt(c.IncidentID, 10)
		}
		rows = append(rows, []string{strconv.FormatInt(c.ID, 10), c.Title, c.Action, c.RootCause, email[c.OwnerID], c.DueDate.Format("2006-01-02"),
			string(c.Status), string(c.Source), c.SourceRef, inc, c.VerifiedByName, csvTime(c.VerifiedAt), c.VerificationNotes, strconv.FormatBool(c.Overdue)})
	}
	writeCSV(w, "corrective-actions.csv", rows)
	return nil
}
