package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) controlPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showControl(w, r, p, r.PathValue("id"), http.StatusOK, "", nil)
}

// controlData is the control page's data.
type controlData struct {
	Control     assay.Control
	Form        assay.Control // the control with the values typed, if any
	Criteria    []assay.Criterion
	CriteriaCSV string
	Users       []assay.User
	History     []assay.Activity
	Statuses    []assay.ControlStatus
	CanEdit     bool
	CanManage   bool
	Evidence    controlEvidenceData
	Testing     *app.ControlTesting // nil when the checks cannot be read (no monitoring)
}

// showControl renders a control's page, optionally with a form error and
// the values the person typed.
func (s *Server) showControl(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id string, status int, errMsg string, typed *assay.ControlPatch) error {
	ctx := r.Context()
	ctl, err := s.app.Control(ctx, p.App(), id)
	if err != nil {
		return err
	}
	users, err := s.ownerChoices(ctx, p, ctl.OwnerID)
	if err != nil {
		return err
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = s.app.Activity(ctx, p.App(), assay.ActivityFilter{ObjectType: "control", ObjectID: ctl.ID, Limit: 50}); err != nil {
			return err
		}
	}
	var criteria []assay.Criterion
	for _, id := range ctl.Criteria {
		if c, ok := s.criterion[id]; ok {
			criteria = append(criteria, c)
		}
	}
	form := ctl
	if typed != nil {
		form = typed.Apply(ctl)
	}
	ev, err := s.controlEvidence(r, p, ctl)
	if err != nil {
		return err
	}
	// Today's readiness and checks are the organisation's, not the
	// engagement's: an invited auditor sees the control as frozen.
	var testing *app.ControlTesting
	if !p.User.EngagementLimited() {
		t, err := s.app.ControlTesting(ctx, p.App(), ctl)
		if err != nil {
			return err
		}
		testing = &t
	}
	s.render(w, r, status, "control", pageData{Title: ctl.ID + " " + ctl.Name, Nav: "controls", Error: errMsg, Data: controlData{
		Control:     ctl,
		Form:        form,
		Criteria:    criteria,
		CriteriaCSV: strings.Join(form.Criteria, ", "),
		Users:       users,
		History:     history,
		Statuses:    assay.ControlStatuses,
		CanEdit:     p.User.Can(assay.ActionEditControl, &ctl),
		CanManage:   p.User.Can(assay.ActionManageControls, nil),
		Evidence:    ev,
		Testing:     testing,
	}})
	return nil
}

// controlEvidence is what a control's page shows of its evidence.
func (s *Server) controlEvidence(r *http.Request, p *httpkit.Principal, ctl assay.Control) (controlEvidenceData, error) {
	ctx := r.Context()
	items, err := p.Org.EvidenceList(ctx, assay.EvidenceFilter{ControlID: ctl.ID})
	if err != nil {
		return controlEvidenceData{}, err
	}
	reqs, err := p.Org.EvidenceRequests(ctx, assay.EvidenceRequestFilter{ControlID: ctl.ID, Limit: 20})
	if err != nil {
		return controlEvidenceData{}, err
	}
	return controlEvidenceData{
		Items: s.rows(items), Requests: app.ViewEvidenceRequests(reqs, s.clock.Now()),
		CanAdd:     p.User.Can(assay.ActionAddEvidence, &ctl),
		CanRequest: p.User.Can(assay.ActionRequestEvidence, nil),
	}, nil
}

// controlEvidenceData is the control page's evidence section.
type controlEvidenceData struct {
	Items      []evidenceRow
	Requests   []app.EvidenceRequestView
	CanAdd     bool
	CanRequest bool
}
