package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) evidencePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showEvidence(w, r, p, http.StatusOK, "")
}

// evidenceItemData is an evidence item's page data.
type evidenceItemData struct {
	Item         evidenceRow
	Controls     []assay.Control
	History      []assay.Activity
	CanChange    bool
	CanSupersede bool
}

func (s *Server) showEvidence(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string) error {
	ctx := r.Context()
	id, err := input.PathID(r, "Evidence")
	if err != nil {
		return err
	}
	ev, err := p.Org.Evidence(ctx, id)
	if err != nil {
		return err
	}
	var controls []assay.Control
	for _, cid := range ev.Controls {
		c, err := p.Org.Control(ctx, cid)
		if err != nil {
			return err
		}
		controls = append(controls, c)
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "evidence", ObjectID: strconv.FormatInt(ev.ID, 10), Limit: 50}); err != nil {
			return err
		}
	}
	canChange := p.User.Can(assay.ActionAddEvidence, nil)
	canSupersede := canChange && ev.SupersededBy == 0
	for _, c := range controls {
		if !p.User.Can(assay.ActionAddEvidence, &c) {
			canSupersede = false
		}
	}
	row := s.rows([]assay.Evidence{ev})[0]
	s.render(w, r, status, "evidence_item", pageData{Title: ev.Title, Nav: "evidence", Error: errMsg, Data: evidenceItemData{
		Item: row, Controls: controls, History: history, CanChange: canChange, CanSupersede: canSupersede,
	}})
	return nil
}
