package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
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
}

func (s *Server) showCorrective(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	q := r.URL.Query()
	f, err := input.CorrectiveFilterFrom(q.Get, p.User.ID)
	if err != nil {
		return err
	}
	list, err := s.app.CorrectiveActions(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	var owners []assay.User
	canManage := p.User.Can(assay.ActionManageIncidents, nil)
	if canManage {
		users, err := p.Org.Users(r.Context())
		if err != nil {
			return err
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
		rows[i] = correctiveRow{v, p.User.MayUpdateCorrective(v.CorrectiveAction)}
		if v.Overdue {
			overdue++
		}
	}
	s.render(w, r, status, "corrective_actions", pageData{Title: "Corrective actions", Nav: "corrective", Error: errMsg,
		Flash: correctiveFlash[q.Get("flash")], Data: correctiveActionsData{
			Actions: rows, Overdue: overdue, Query: q, Form: form, Owners: owners, CanManage: canManage,
			Statuses: assay.CorrectiveStatuses, Sources: assay.CorrectiveSources,
			DefaultDue: s.app.DefaultCorrectiveDue().Format("2006-01-02"),
		}})
	return nil
}

func (s *Server) afterCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/corrective-actions?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showCorrective(w, r, p, status, msg, r.PostForm)
	})
}

func formOwner(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, assay.Invalid("owner_id", "Choose an owner.")
	}
	return n, nil
}

func (s *Server) createCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	b := input.CorrectiveBody{NewCorrectiveAction: assay.NewCorrectiveAction{Source: assay.CorrectiveSource(r.PostFormValue("source")),
		SourceRef: r.PostFormValue("source_ref"), Title: r.PostFormValue("title"), RootCause: r.PostFormValue("root_cause"),
		Action: r.PostFormValue("action")}, DueDate: r.PostFormValue("due_date")}
	owner, err := formOwner(r.PostFormValue("owner_id"))
	b.OwnerID = owner
	var n assay.NewCorrectiveAction
	if err == nil {
		n, err = b.Parse()
	}
	if err == nil {
		_, err = s.app.CreateCorrectiveAction(r.Context(), p.App(), n)
	}
	return s.afterCorrectiveForm(w, r, p, err, "created")
}

func (s *Server) importCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_, err := csvimport.Corrective(r.Context(), s.app, p.App(), r.PostFormValue("csv"))
	return s.afterCorrectiveForm(w, r, p, err, "imported")
}

func (s *Server) updateCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Corrective action")
	var patch assay.CorrectivePatch
	if v := r.PostFormValue("status"); v != "" {
		st := assay.CorrectiveStatus(v)
		patch.Status = &st
	}
	if v, ok := r.PostForm["verification_notes"]; ok {
		patch.VerificationNotes = &v[0]
	}
	if err == nil {
		_, err = s.app.UpdateCorrectiveAction(r.Context(), p.App(), id, patch)
	}
	return s.afterCorrectiveForm(w, r, p, err, "saved")
}

// auditCorrectiveForm is the button on an audit's exceptions.
func (s *Server) auditCorrectiveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	var c assay.CorrectiveAction
	if err == nil {
		var ex app.AuditException
		if ex, err = input.AuditException(r.PostFormValue("control_id"), r.PostFormValue("exception"), 0, ""); err == nil {
			c, err = s.app.CorrectAuditException(r.Context(), p.App(), id, ex)
		}
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/corrective-actions?flash=created#ca-%d", c.ID), http.StatusSeeOther)
		return nil
	}
	return s.afterAuditForm(w, r, p, id, err, "")
}
