package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /checklist-items/{id}: an admin ticks (or reopens) an item, with a note.
func (s *Server) checklistItemForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Checklist item")
	if err != nil {
		return err
	}
	it, err := s.app.CompleteChecklistItem(r.Context(), p.App(), id, r.PostFormValue("done") != "false", r.PostFormValue("note"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=item", it.PersonID), http.StatusSeeOther)
	return nil
}
