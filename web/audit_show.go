package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) auditsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAudits(w, r, p, http.StatusOK, "", url.Values{})
}

// auditsData is the audits page's data.
type auditsData struct {
	Audits    []assay.Audit
	Form      url.Values // the new-engagement form as typed
	CanCreate bool
}

func (s *Server) showAudits(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	list, err := s.app.Audits(r.Context(), p.App())
	if err != nil {
		return err
	}
	if form.Get("type") == "" {
		form.Set("type", string(assay.AuditType2))
	}
	s.render(w, r, status, "audits", pageData{Title: "Audits", Nav: "audits", Error: errMsg, Data: auditsData{
		Audits: list, Form: form, CanCreate: p.User.Can(assay.ActionManageAudits, nil),
	}})
	return nil
}

func (s *Server) createAuditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	b := input.NewAuditBody{Type: assay.AuditType(r.PostFormValue("type")), Name: r.PostFormValue("name"), Firm: r.PostFormValue("firm"),
		AsOf: r.PostFormValue("as_of"), PeriodStart: r.PostFormValue("period_start"), PeriodEnd: r.PostFormValue("period_end")}
	n, err := input.NewAudit(b)
	if err == nil {
		var a app.AuditView
		if a, err = s.app.CreateAudit(r.Context(), p.App(), n); err == nil {
			flash := "audit-created"
			if len(a.Warnings) > 0 {
				flash = "audit-created-short"
			}
			http.Redirect(w, r, fmt.Sprintf("/audits/%d?flash=%s", a.ID, flash), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showAudits(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAudit(w, r, p, http.StatusOK, "", url.Values{})
}

// auditData is an audit engagement's page data.
type auditData struct {
	Audit      assay.Audit
	Period     assay.AuditPeriod
	Samples    []assay.AuditSample
	Auditors   []assay.User // only for those who may manage users
	Warnings   []string
	Statuses   []assay.AuditStatus
	Kinds      []string // the sample populations
	Form       url.Values
	Now        time.Time
	CanManage  bool
	CanExport  bool
	CanInvite  bool
	CanSample  bool
	CanCorrect bool
}

func (s *Server) showAudit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	ctx := r.Context()
	period, err := s.app.AuditPeriod(ctx, p.App(), id)
	if err != nil {
		return err
	}
	samples, err := s.app.AuditSamples(ctx, p.App(), id)
	if err != nil {
		return err
	}
	var auditors []assay.User
	if p.User.Can(assay.ActionManageUsers, nil) {
		if auditors, err = s.app.AuditAuditors(ctx, p.App(), id); err != nil {
			return err
		}
	}
	a := period.Audit
	s.render(w, r, status, "audit", pageData{Title: a.Name, Nav: "audits", Error: errMsg, Flash: auditFlash[r.URL.Query().Get("flash")], Data: auditData{
		Audit: a, Period: period, Samples: samples, Auditors: auditors, Warnings: app.AuditWarnings(a),
		Statuses: assay.AuditStatuses, Kinds: assay.PopulationKinds, Form: form, Now: s.clock.Now(),
		CanManage: p.User.Can(assay.ActionManageAudits, nil), CanExport: p.User.Can(assay.ActionExport, nil), CanInvite: p.User.Can(assay.ActionManageUsers, nil),
		CanSample:  p.User.Can(assay.ActionSampleAudit, nil) && a.Type == assay.AuditType2,
		CanCorrect: p.User.Can(assay.ActionManageIncidents, nil),
	}})
	return nil
}

// auditFlash are the audit pages' confirmations (unknown keys show nothing).
var auditFlash = map[string]string{
	"audit-created":       "Engagement created; its scope is frozen.",
	"audit-created-short": "Engagement created; its scope is frozen. " + assay.ShortPeriodWarning,
	"audit-saved":         "Engagement updated.",
	"sample-drawn":        "Sample drawn and recorded.",
	"auditor-invited":     "Auditor invited.",
}

func (s *Server) auditStatusForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		_, err = s.app.SetAuditStatus(r.Context(), p.App(), id, assay.AuditStatus(r.PostFormValue("status")))
	}
	return s.afterAuditForm(w, r, p, id, err, "audit-saved")
}

func (s *Server) auditSampleForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		n := assay.NewSample{Population: r.PostFormValue("population"), ControlID: strings.TrimSpace(r.PostFormValue("control"))}
		if n.Size, err = strconv.Atoi(strings.TrimSpace(r.PostFormValue("size"))); err != nil {
			err = assay.Invalid("size", "The sample size must be a whole number.")
		} else if v := strings.TrimSpace(r.PostFormValue("seed")); v != "" {
			seed, perr := strconv.ParseUint(v, 10, 64)
			if perr != nil {
				err = assay.Invalid("seed", "The seed must be a whole number from 0 to 18446744073709551615.")
			}
			n.Seed = &seed
		}
		if err == nil {
			_, err = s.app.CreateAuditSample(r.Context(), p.App(), id, n)
		}
	}
	return s.afterAuditForm(w, r, p, id, err, "sample-drawn")
}

func (s *Server) inviteAuditorForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var inv app.AuditorInvite
		inv, err = input.InviteBody{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
			Password: r.PostFormValue("password"), ExpiresAt: r.PostFormValue("expires_at")}.Invite()
		if err == nil {
			_, err = s.app.InviteAuditor(r.Context(), p.App(), id, inv)
		}
	}
	return s.afterAuditForm(w, r, p, id, err, "auditor-invited")
}

func (s *Server) afterAuditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, id int64, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/audits/%d?flash=%s", id, flash), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		form := r.PostForm
		form.Del("password")
		return s.showAudit(w, r, p, status, msg, form)
	})
}
