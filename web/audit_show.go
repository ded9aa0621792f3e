package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAudit(w, r, p, http.StatusOK, "", url.Values{})
}

// auditData is an audit engagement's page data.
type auditData struct {
	Audit      assay.Audit
	Period     assay.AuditPeriod
	Summary    assay.AuditSummary
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
	CanReport  bool // the report package: admins and auditors
	CanAsk     bool // the request list: admins and auditors
	Requests   []app.EvidenceRequestView
	// Requested counts, per sample, the items that already have a request.
	Requested map[int64]int
	// The period view's summary (the view itself is its own page).
	PeriodInScope  int
	Excepted       []exceptedControl
	ExceptionCount int
}

// exceptedControl is a control with exceptions in the period, and how many.
type exceptedControl struct {
	ID string
	N  int
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
	reqs, err := s.app.EvidenceRequests(ctx, p.App(), assay.EvidenceRequestFilter{AuditID: id})
	if err != nil {
		return err
	}
	requested := map[int64]int{}
	for _, q := range reqs {
		if q.SampleID != 0 {
			requested[q.SampleID]++
		}
	}
	a := period.Audit
	var excepted []exceptedControl
	exceptions := 0
	for _, c := range period.Controls {
		if n := len(c.Exceptions); n > 0 {
			excepted = append(excepted, exceptedControl{ID: c.ID, N: n})
			exceptions += n
		}
	}
	s.render(w, r, status, "audit", pageData{Title: a.Name, Nav: "audits", Error: errMsg, Flash: auditFlash[r.URL.Query().Get("flash")], Data: auditData{
		Audit: a, Period: period, Summary: assay.SummarizeAudit(period, samples, s.clock.Now()), Samples: samples, Auditors: auditors, Warnings: app.AuditWarnings(a),
		Statuses: assay.AuditStatuses, Kinds: assay.PopulationKinds, Form: form, Now: s.clock.Now(),
		CanManage: p.User.Can(assay.ActionManageAudits, nil), CanExport: p.User.Can(assay.ActionExport, nil), CanInvite: p.User.Can(assay.ActionManageUsers, nil),
		CanSample:  p.User.Can(assay.ActionSampleAudit, nil) && a.Type == assay.AuditType2,
		CanCorrect: p.User.Can(assay.ActionManageIncidents, nil),
		CanReport:  p.User.Role == assay.RoleAdmin || p.User.Role == assay.RoleAuditor,
		CanAsk:     p.User.Can(assay.ActionRequestEvidence, nil) && a.Status != assay.AuditClosed,
		Requests:   app.ViewEvidenceRequests(reqs, s.clock.Now()), Requested: requested,
		PeriodInScope: len(period.Controls), Excepted: excepted, ExceptionCount: exceptions,
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
	"request-created":     "Request added to the engagement's list and sent to its owner.",
	"requests-imported":   "Request list imported; each request went to its owner.",
	"sample-requested":    "Each sampled item now has its evidence request.",
}
