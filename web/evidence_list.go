package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// evidenceData is the evidence list's data.
type evidenceData struct {
	Items    []evidenceRow
	Filter   assay.EvidenceFilter
	Controls []assay.Control
	Kinds    []assay.EvidenceKind
	States   []string
	CanAdd   bool
	Pager    pager // Items is one page of the list
}

func (s *Server) evidenceListPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.renderView(w, r, p, http.StatusOK, "evidence", func() (pageData, error) {
		ctx := r.Context()
		f := input.EvidenceFilterFrom(r.URL.Query())
		items, err := p.Org.EvidenceList(ctx, f)
		errMsg := ""
		if assay.ErrorCode(err) == assay.EINVALID {
			errMsg, err = assay.ErrorMessage(err), nil
		}
		if err != nil {
			return pageData{}, err
		}
		controls, err := p.Org.Controls(ctx, assay.ControlFilter{})
		if err != nil {
			return pageData{}, err
		}
		items, pg := pageOf(r, items, listRows)
		return pageData{Title: "Evidence", Nav: "evidence", Error: errMsg, Data: evidenceData{
			Items: s.rows(items), Pager: pg, Filter: f, Controls: controls, Kinds: assay.EvidenceKinds,
			States: assay.EvidenceStates, CanAdd: p.User.Can(assay.ActionAddEvidence, nil),
		}}, nil
	})
}
