package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

var correctiveFlash = map[string]string{
	"created":  "Corrective action added.",
	"imported": "Corrective actions imported.",
	"saved":    "Corrective action updated.",
}

func (s *Server) correctivePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showCorrective(w, r, p, http.StatusOK, "", url.Values{})
}

// correctiveRow is one corrective action in the register, with whether
// the person may update it.
type correctiveRow struct {
	app.CorrectiveView
	CanUpdate bool
	// From names where the action came from and links to it.
	From correctiveSource
}

// correctiveActionsData is what the corrective actions page shows.
type correctiveActionsData struct {
	Actions    []correctiveRow
	Overdue    int
	Query      url.Values
	Form       url.Values
	Owners     []assay.User
	CanManage  bool
	Statuses   []assay.CorrectiveStatus
	Sources    []assay.CorrectiveSource
	DefaultDue string // YYYY-MM-DD
	Pager      pager  // Actions is one page of the list
}

func (s *Server) showCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "corrective_actions", func() (pageData, error) {
		q := r.URL.Query()
		f, err := input.CorrectiveFilterFrom(q.Get, p.User.ID)
		if err != nil {
			return pageData{}, err
		}
		list, err := s.app.CorrectiveActions(r.Context(), p.App(), f)
		if err != nil {
			return pageData{}, err
		}
		var owners []assay.User
		canManage := p.User.Can(assay.ActionManageIncidents, nil)
		if canManage {
			users, err := s.ownerChoices(r.Context(), p, 0)
			if err != nil {
				return pageData{}, err
			}
			for _, u := range users {
				if !u.Disabled && (u.Role == assay.RoleAdmin || u.Role == assay.RoleMember) {
					owners = append(owners, u)
				}
			}
		}
		views := app.ViewCorrectives(list, s.clock.Now())
		rows := make([]correctiveRow, len(views))
		overdue := 0
		for i, v := range views {
			rows[i] = correctiveRow{CorrectiveView: v, CanUpdate: p.User.MayUpdateCorrective(v.CorrectiveAction)}
			if v.Overdue {
				overdue++
			}
		}
		page, pg := pageOf(r, rows, listRows)
		if err := correctiveSources(r.Context(), p, page); err != nil {
			return pageData{}, err
		}
		return pageData{Title: "Corrective actions", Nav: "corrective", Error: errMsg,
			Flash: correctiveFlash[q.Get("flash")], Data: correctiveActionsData{
				Actions: page, Pager: pg, Overdue: overdue, Query: q, Form: form, Owners: owners, CanManage: canManage,
				Statuses: assay.CorrectiveStatuses, Sources: assay.CorrectiveSources,
				DefaultDue: s.app.DefaultCorrectiveDue().Format("2006-01-02"),
			}}, nil
	})
}
