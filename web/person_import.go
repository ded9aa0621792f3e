package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /people/import: the roster CSV pasted or uploaded on the people page.
func (s *Server) importPeopleForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := input.FormCSV(r, "csv", "file")
	var res assay.PeopleImportResult
	if err == nil {
		res, err = csvimport.People(r.Context(), s.app, p.App(), text)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people?flash=imported&created=%d&updated=%d", res.Created, res.Updated), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPeople(w, r, p, status, msg, r.PostForm)
	})
}
