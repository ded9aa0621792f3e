package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/export"
)

// AuditView is an engagement as the API shows it, with the warnings its
// period draws (a Type II period shorter than three months).
type AuditView struct {
	assay.Audit
	Warnings []string `json:"warnings"`
}

// ViewAudit is the engagement with its warnings.
func ViewAudit(a assay.Audit) AuditView {
	return AuditView{a, AuditWarnings(a)}
}

// AuditWarnings are the engagement's warnings (never nil).
func AuditWarnings(a assay.Audit) []string {
	n := assay.NewAudit{Type: a.Type, Name: a.Name, Firm: a.Firm, AsOf: a.AsOf, PeriodStart: a.PeriodStart, PeriodEnd: a.PeriodEnd}
	w, _ := n.Validate()
	if w == nil {
		w = []string{}
	}
	return w
}

// Audits lists the engagements the principal may read: all of them, or an
// invited auditor's own.
func (a *App) Audits(ctx context.Context, p Principal) ([]assay.Audit, error) {
	if err := mayReadAudits(p); err != nil {
		return nil, err
	}
	list, err := p.Org.Audits(ctx)
	if err != nil || !p.User.EngagementLimited() {
		return list, err
	}
	out := []assay.Audit{}
	for _, au := range list {
		if au.ID == p.User.EngagementID {
			out = append(out, au)
		}
	}
	return out, nil
}

// Audit is one engagement.
func (a *App) Audit(ctx context.Context, p Principal, id int64) (assay.Audit, error) {
	if err := mayReadAudit(p, id); err != nil {
		return assay.Audit{}, err
	}
	return p.Org.Audit(ctx, id)
}

// CreateAudit creates an engagement and freezes its scope; it returns the
// engagement's warnings with it.
func (a *App) CreateAudit(ctx context.Context, p Principal, n assay.NewAudit) (AuditView, error) {
	if err := mayManageAudits(p); err != nil {
		return AuditView{}, err
	}
	warnings, err := n.Validate()
	if err != nil {
		return AuditView{}, err
	}
	au, err := p.Org.CreateAudit(ctx, p.Actor(), n)
	if err != nil {
		return AuditView{}, err
	}
	if warnings == nil {
		warnings = []string{}
	}
	return AuditView{au, warnings}, nil
}

// SetAuditStatus moves an engagement on (planned, fieldwork, reporting,
// closed; closed is final).
func (a *App) SetAuditStatus(ctx context.Context, p Principal, id int64, status assay.AuditStatus) (assay.Audit, error) {
	if err := mayManageAudits(p); err != nil {
		return assay.Audit{}, err
	}
	if !status.Valid() {
		return assay.Audit{}, assay.Invalid("status", "Choose a status: planned, fieldwork, reporting or closed.")
	}
	return p.Org.SetAuditStatus(ctx, p.Actor(), id, status)
}

// AuditSamples lists an engagement's recorded samples.
func (a *App) AuditSamples(ctx context.Context, p Principal, id int64) ([]assay.AuditSample, error) {
	if err := mayReadAudit(p, id); err != nil {
		return nil, err
	}
	return p.Org.AuditSamples(ctx, id)
}

// AuditPopulation lists a population of the engagement as it stands (or
// as it stood at cutoffSeq, when not zero).
func (a *App) AuditPopulation(ctx context.Context, p Principal, id int64, kind, controlID string, cutoffSeq int64) (assay.Population, error) {
	if err := mayReadAudit(p, id); err != nil {
		return assay.Population{}, err
	}
	return p.Org.AuditPopulation(ctx, id, kind, controlID, cutoffSeq)
}

// AuditSamplePopulation is the population a recorded sample was drawn
// from, as frozen when it was drawn.
func (a *App) AuditSamplePopulation(ctx context.Context, p Principal, id, sampleID int64) (assay.Population, error) {
	if err := mayReadAudit(p, id); err != nil {
		return assay.Population{}, err
	}
	return p.Org.AuditSamplePopulation(ctx, id, sampleID)
}

// AuditWorkpaper gathers the auditor's workpaper of an engagement.
func (a *App) AuditWorkpaper(ctx context.Context, p Principal, id int64) (*export.Workpaper, error) {
	if err := mayReadAudit(p, id); err != nil {
		return nil, err
	}
	return export.LoadWorkpaper(ctx, p.Org, id, a.clock.Now())
}

// CreateAuditSample draws a sample from a population and records it.
func (a *App) CreateAuditSample(ctx context.Context, p Principal, id int64, n assay.NewSample) (assay.AuditSample, error) {
	if err := maySampleAudit(p, id); err != nil {
		return assay.AuditSample{}, err
	}
	return p.Org.CreateAuditSample(ctx, p.Actor(), id, n)
}

// AuditAuditors lists the auditors invited for the engagement (for those
// who may invite them).
func (a *App) AuditAuditors(ctx context.Context, p Principal, id int64) ([]assay.User, error) {
	if err := mayInviteAuditor(p); err != nil {
		return nil, err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []assay.User
	for _, u := range users {
		if u.EngagementID == id {
			out = append(out, u)
		}
	}
	return out, nil
}

// AuditorInvite is an auditor to invite for one engagement. A blank
// Password has one generated; Expires is the last day of their access
// (through the end of that day when it is a date).
type AuditorInvite struct {
	Email, Name, Password string
	Expires               *time.Time
	DateOnly              bool // Expires is a day: access lasts through its end
}

// InvitedAuditor is the invited auditor, with the password generated for
// them (shown once; empty when the inviter chose it).
type InvitedAuditor struct {
	User     assay.User `json:"user"`
	Password string     `json:"password,omitempty"`
}

// InviteAuditor creates an auditor limited to one engagement, whose
// access ends at in.Expires.
func (a *App) InviteAuditor(ctx context.Context, p Principal, auditID int64, in AuditorInvite) (InvitedAuditor, error) {
	if err := mayInviteAuditor(p); err != nil {
		return InvitedAuditor{}, err
	}
	if in.Expires == nil {
		return InvitedAuditor{}, assay.Invalid("expires_at", "Say when the auditor's access ends.")
	}
	exp := *in.Expires
	if in.DateOnly {
		exp = exp.Add(24*time.Hour - time.Second) // through the end of that day
	}
	var generated string
	if in.Password == "" {
		generated = auth.NewToken("")
		in.Password = generated
	}
	n := assay.NewUser{Email: in.Email, Name: in.Name, Role: assay.RoleAuditor, Password: in.Password}
	if err := n.Validate(); err != nil {
		return InvitedAuditor{}, err
	}
	hash, err := auth.HashPassword(n.Password, a.passwords)
	if err != nil {
		return InvitedAuditor{}, err
	}
	u, err := p.Org.InviteAuditor(ctx, p.Actor(), auditID, n, hash, exp)
	if err != nil {
		return InvitedAuditor{}, err
	}
	return InvitedAuditor{User: u, Password: generated}, nil
}
