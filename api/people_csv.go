package api

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
)

// GET /api/v1/people.csv: the roster in the import's columns.
func (s *Server) peopleCSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	roster, err := s.app.People(r.Context(), p.App(), app.PeopleFilter{})
	if err != nil {
		return err
	}
	rows := [][]string{append(append([]string(nil), csvimport.PeopleColumns...), "status", "open_items", "overdue_items")}
	for _, v := range roster.People {
		rows = append(rows, []string{v.Name, v.Email, v.Title, v.Department, v.ManagerEmail, v.StartDate, v.EndDate, string(v.EmploymentType),
			string(v.Status), fmt.Sprint(v.OpenItems), fmt.Sprint(v.OverdueItems)})
	}
	writeCSV(w, "people.csv", rows)
	return nil
}
