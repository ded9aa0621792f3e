package app

//go:generate go run ../internal/gendeny engagement_deny.go

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/ledger"
	"github.com/assay-platform/assay/store"
)

// An auditor invited for one engagement reaches the organisation's data
// only through an engagementView: the organisation's store as that
// engagement shows it. What it may read is decided here, per object, as
// the object is loaded, for every caller (the services, the pages, the
// API); everything else is not found, so the auditor learns nothing of
// what lies outside. The view embeds denyOrg, which refuses every store
// method, and answers only:
//
//   - the engagement itself, its period view, populations and samples
//     (and drawing a sample);
//   - the controls of its frozen scope;
//   - the evidence the period view or a sample references, and its files;
//   - the evidence requests about the frozen scope's controls (and asking
//     for evidence and deciding answers about those controls);
//   - activity entries about those objects inside the engagement's window,
//     and ledger proofs of entries about them (for the evidence bundle);
//   - recording an export of the engagement (LoadExport builds it);
//   - the organisation's name and scope, the check definitions and the
//     monitoring history the period view's automated testing is built from,
//     and the accounts of the owners of the frozen scope's controls and of
//     the auditor themself.
//
// The criteria come from the catalog, not the store: VisibleCriteria
// limits them to the frozen scope's.
type engagementView struct {
	denyOrg
	org     store.OrgStore
	user    assay.User
	once    sync.Once
	loaded  engagementScope
	loadErr error
}

// evidenceListMax is the most items one evidence list returns (the store's cap).
const evidenceListMax = 1000

// engagementScope is what one engagement reaches, loaded once per view.
type engagementScope struct {
	audit    assay.Audit
	controls map[string]bool
	criteria map[string][]string // per control, its criteria as frozen
	evidence map[int64]bool
	start    time.Time
	end      time.Time
}

// OrgFor is the store a user's principal works through: the organisation's
// own, or the engagement view for an auditor invited for one engagement.
func OrgFor(st store.Store, u assay.User) store.OrgStore {
	org := st.Org(u.OrgID)
	if !u.EngagementLimited() {
		return org
	}
	return &engagementView{org: org, user: u}
}

func errNoEngagementAccess() error {
	return assay.Errorf(assay.ENOTFOUND, "Not found.")
}

func (v *engagementView) scope(ctx context.Context) (engagementScope, error) {
	v.once.Do(func() { v.loaded, v.loadErr = v.load(ctx) })
	return v.loaded, v.loadErr
}

func (v *engagementView) load(ctx context.Context) (engagementScope, error) {
	a, err := v.org.Audit(ctx, v.user.EngagementID)
	if err != nil {
		return engagementScope{}, fmt.Errorf("engagement %d: %w", v.user.EngagementID, err)
	}
	sc := engagementScope{audit: a, controls: map[string]bool{}, criteria: map[string][]string{}, evidence: map[int64]bool{}}
	sc.start, sc.end = a.Window()
	for _, c := range a.Scope.Controls {
		sc.controls[c.ID] = true
		sc.criteria[c.ID] = c.Criteria
	}
	// The evidence the period view lists: of an in-scope control, covering
	// the window. One read of every item while the organisation has fewer
	// than a list's limit; else one read per control, as the period view.
	add := func(items []assay.Evidence) {
		for _, e := range items {
			if a.Covers(e) && slices.ContainsFunc(e.Controls, func(id string) bool { return sc.controls[id] }) {
				sc.evidence[e.ID] = true
			}
		}
	}
	all, err := v.org.EvidenceList(ctx, assay.EvidenceFilter{State: "all", Limit: evidenceListMax})
	if err != nil {
		return engagementScope{}, fmt.Errorf("engagement evidence: %w", err)
	}
	if len(all) < evidenceListMax {
		add(all)
	} else {
		for _, c := range a.Scope.Controls {
			items, err := v.org.EvidenceList(ctx, assay.EvidenceFilter{ControlID: c.ID, State: "all"})
			if err != nil {
				return engagementScope{}, fmt.Errorf("engagement evidence of %s: %w", c.ID, err)
			}
			add(items)
		}
	}
	samples, err := v.org.AuditSamples(ctx, a.ID)
	if err != nil {
		return engagementScope{}, fmt.Errorf("engagement samples: %w", err)
	}
	for _, s := range samples {
		for _, k := range s.Keys {
			if id, ok := strings.CutPrefix(k, "evidence:"); ok {
				if n, err := strconv.ParseInt(id, 10, 64); err == nil {
					sc.evidence[n] = true
				}
			}
		}
	}
	return sc, nil
}

// The checks below answer whether one object is in the engagement.

func (v *engagementView) hasControl(ctx context.Context, id string) (bool, error) {
	sc, err := v.scope(ctx)
	return err == nil && sc.controls[strings.ToUpper(strings.TrimSpace(id))], err
}

func (v *engagementView) hasEvidence(ctx context.Context, id int64) (bool, error) {
	sc, err := v.scope(ctx)
	return err == nil && sc.evidence[id], err
}

func (v *engagementView) hasAudit(id int64) bool { return id == v.user.EngagementID }

// hasActivity reports whether an activity entry is about an object of the
// engagement and inside its window.
func (v *engagementView) hasActivity(ctx context.Context, a assay.Activity) (bool, error) {
	sc, err := v.scope(ctx)
	if err != nil {
		return false, err
	}
	if a.At.Before(sc.start) || !a.At.Before(sc.end) {
		return false, nil
	}
	switch a.ObjectType {
	case "control":
		return sc.controls[a.ObjectID], nil
	case "evidence":
		n, err := strconv.ParseInt(a.ObjectID, 10, 64)
		return err == nil && sc.evidence[n], nil
	case "evidence_request":
		n, err := strconv.ParseInt(a.ObjectID, 10, 64)
		if err != nil {
			return false, nil
		}
		r, err := v.org.EvidenceRequest(ctx, n)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return false, nil
		}
		return err == nil && sc.requestVisible(r, v.user.EngagementID), err
	case "audit":
		return a.ObjectID == strconv.FormatInt(v.user.EngagementID, 10), nil
	}
	return false, nil
}

// The organisation.

func (v *engagementView) OrgID() int64 { return v.org.OrgID() }

func (v *engagementView) Organization(ctx context.Context) (assay.Organization, error) {
	return v.org.Organization(ctx)
}

// Controls and the people they name.

func (v *engagementView) Controls(ctx context.Context, f assay.ControlFilter) ([]assay.Control, error) {
	sc, err := v.scope(ctx)
	if err != nil {
		return nil, err
	}
	// A criterion is matched against the frozen mappings, not today's.
	limit, crit := f.Limit, strings.ToUpper(strings.TrimSpace(f.Criterion))
	f.Limit, f.Criterion = 0, ""
	all, err := v.org.Controls(ctx, f)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(c assay.Control) bool {
		return !sc.controls[c.ID] || (crit != "" && !slices.Contains(sc.criteria[c.ID], crit))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i].Criteria = slices.Clone(sc.criteria[out[i].ID])
	}
	return out, nil
}

// Control is an in-scope control, with its criteria as the engagement
// froze them (a mapping added since is outside it).
func (v *engagementView) Control(ctx context.Context, id string) (assay.Control, error) {
	sc, err := v.scope(ctx)
	if err != nil {
		return assay.Control{}, err
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	if !sc.controls[id] {
		return assay.Control{}, assay.Errorf(assay.ENOTFOUND, "Control %s not found.", id)
	}
	c, err := v.org.Control(ctx, id)
	if err != nil {
		return c, err
	}
	c.Criteria = slices.Clone(sc.criteria[id])
	return c, nil
}

// named is the set of accounts the engagement's records name: owners of
// its controls, and the auditor.
func (v *engagementView) named(ctx context.Context) (map[int64]bool, error) {
	ctls, err := v.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{v.user.ID: true}
	for _, c := range ctls {
		if c.OwnerID != 0 {
			ids[c.OwnerID] = true
		}
	}
	return ids, nil
}

func (v *engagementView) Users(ctx context.Context) ([]assay.User, error) {
	ids, err := v.named(ctx)
	if err != nil {
		return nil, err
	}
	all, err := v.org.Users(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(u assay.User) bool { return !ids[u.ID] }), nil
}

func (v *engagementView) User(ctx context.Context, id int64) (assay.User, error) {
	ids, err := v.named(ctx)
	if err != nil {
		return assay.User{}, err
	}
	if !ids[id] {
		return assay.User{}, assay.Errorf(assay.ENOTFOUND, "User not found.")
	}
	return v.org.User(ctx, id)
}

// Evidence.

func (v *engagementView) Evidence(ctx context.Context, id int64) (assay.Evidence, error) {
	if ok, err := v.hasEvidence(ctx, id); !ok {
		return assay.Evidence{}, notFoundUnless(err, "Evidence %d not found.", id)
	}
	return v.org.Evidence(ctx, id)
}

func (v *engagementView) EvidenceList(ctx context.Context, f assay.EvidenceFilter) ([]assay.Evidence, error) {
	sc, err := v.scope(ctx)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	f.Limit = 0
	all, err := v.org.EvidenceList(ctx, f)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(e assay.Evidence) bool { return !sc.evidence[e.ID] })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Evidence requests: those of the engagement's request list, and those
// asked outside any engagement about the frozen scope's controls.

// requestVisible reports whether the engagement's auditor sees r.
func (sc engagementScope) requestVisible(r assay.EvidenceRequest, engagementID int64) bool {
	if r.AuditID != 0 {
		return r.AuditID == engagementID
	}
	return sc.controls[r.ControlID]
}

func (v *engagementView) EvidenceRequest(ctx context.Context, id int64) (assay.EvidenceRequest, error) {
	r, err := v.org.EvidenceRequest(ctx, id)
	if err != nil {
		return r, err
	}
	sc, err := v.scope(ctx)
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	if !sc.requestVisible(r, v.user.EngagementID) {
		return assay.EvidenceRequest{}, assay.Errorf(assay.ENOTFOUND, "Evidence request %d not found.", id)
	}
	return r, nil
}

func (v *engagementView) EvidenceRequestComments(ctx context.Context, id int64) ([]assay.RequestComment, error) {
	if _, err := v.EvidenceRequest(ctx, id); err != nil {
		return nil, err
	}
	return v.org.EvidenceRequestComments(ctx, id)
}

func (v *engagementView) CommentEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, body string) (assay.RequestComment, error) {
	if _, err := v.EvidenceRequest(ctx, id); err != nil {
		return assay.RequestComment{}, err
	}
	return v.org.CommentEvidenceRequest(ctx, actor, id, body)
}

func (v *engagementView) EvidenceRequests(ctx context.Context, f assay.EvidenceRequestFilter) ([]assay.EvidenceRequest, error) {
	sc, err := v.scope(ctx)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	f.Limit = 0
	all, err := v.org.EvidenceRequests(ctx, f)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(r assay.EvidenceRequest) bool { return !sc.requestVisible(r, v.user.EngagementID) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (v *engagementView) CreateEvidenceRequest(ctx context.Context, actor assay.Actor, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error) {
	out, err := v.CreateEvidenceRequests(ctx, actor, []assay.NewEvidenceRequest{n})
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	return out[0], nil
}

// CreateEvidenceRequests puts every request on the engagement's own list,
// about the frozen scope's controls only.
func (v *engagementView) CreateEvidenceRequests(ctx context.Context, actor assay.Actor, ns []assay.NewEvidenceRequest) ([]assay.EvidenceRequest, error) {
	ns = slices.Clone(ns)
	for i := range ns {
		if ns[i].AuditID != 0 && ns[i].AuditID != v.user.EngagementID {
			return nil, assay.Errorf(assay.ENOTFOUND, "Engagement %d not found.", ns[i].AuditID)
		}
		ns[i].AuditID = v.user.EngagementID
		ok, err := v.hasControl(ctx, ns[i].ControlID)
		if err != nil {
			return nil, err
		}
		if !ok && strings.TrimSpace(ns[i].ControlID) != "" { // an empty one is the store's to refuse, plainly
			return nil, assay.RequestLineError(len(ns), i, assay.Errorf(assay.ENOTFOUND, "Control %s not found.", ns[i].ControlID))
		}
	}
	return v.org.CreateEvidenceRequests(ctx, actor, ns)
}

func (v *engagementView) DecideEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, accept bool, reason string) (assay.EvidenceRequest, error) {
	if _, err := v.EvidenceRequest(ctx, id); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return v.org.DecideEvidenceRequest(ctx, actor, id, accept, reason)
}

// The engagement.

func (v *engagementView) Audits(ctx context.Context) ([]assay.Audit, error) {
	a, err := v.org.Audit(ctx, v.user.EngagementID)
	if err != nil {
		return nil, err
	}
	return []assay.Audit{a}, nil
}

func (v *engagementView) Audit(ctx context.Context, id int64) (assay.Audit, error) {
	if !v.hasAudit(id) {
		return assay.Audit{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.Audit(ctx, id)
}

func (v *engagementView) AuditPeriod(ctx context.Context, id int64) (assay.AuditPeriod, error) {
	if !v.hasAudit(id) {
		return assay.AuditPeriod{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditPeriod(ctx, id)
}

func (v *engagementView) AuditPopulation(ctx context.Context, id int64, kind, controlID string, cutoffSeq int64) (assay.Population, error) {
	if !v.hasAudit(id) {
		return assay.Population{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditPopulation(ctx, id, kind, controlID, cutoffSeq)
}

func (v *engagementView) AuditSamples(ctx context.Context, id int64) ([]assay.AuditSample, error) {
	if !v.hasAudit(id) {
		return nil, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.AuditSamples(ctx, id)
}

func (v *engagementView) CreateAuditSample(ctx context.Context, actor assay.Actor, id int64, n assay.NewSample) (assay.AuditSample, error) {
	if !v.hasAudit(id) {
		return assay.AuditSample{}, assay.Errorf(assay.ENOTFOUND, "Audit not found.")
	}
	return v.org.CreateAuditSample(ctx, actor, id, n)
}

// What the period view's automated testing is computed from.

func (v *engagementView) CustomChecks(ctx context.Context) ([]assay.Check, error) {
	return v.org.CustomChecks(ctx)
}

// MonitorHistory is read only to build the period view's automated
// testing of the in-scope controls; no route hands it out otherwise.
func (v *engagementView) MonitorHistory(ctx context.Context, checkIDs []string, from, to time.Time) (assay.MonitorHistory, error) {
	return v.org.MonitorHistory(ctx, checkIDs, from, to)
}

// The activity trail: entries about the engagement's objects inside its
// window, paged through the whole trail so a limit still fills.

func (v *engagementView) Activity(ctx context.Context, f assay.ActivityFilter) ([]assay.Activity, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	page := max(limit, 200)
	var out []assay.Activity
	for {
		batch, err := v.org.Activity(ctx, assay.ActivityFilter{ObjectType: f.ObjectType, ObjectID: f.ObjectID, BeforeSeq: f.BeforeSeq, Limit: page})
		if err != nil {
			return nil, err
		}
		for _, a := range batch {
			ok, err := v.hasActivity(ctx, a)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, a)
				if len(out) == limit {
					return out, nil
				}
			}
		}
		if len(batch) < page {
			return out, nil
		}
		f.BeforeSeq = batch[len(batch)-1].Seq
	}
}

// RecordExport writes the audit-trail entry of an export of the
// engagement (LoadExport decides what it holds).
func (v *engagementView) RecordExport(ctx context.Context, actor assay.Actor, kind string, from, to time.Time) (int64, error) {
	return v.org.RecordExport(ctx, actor, kind, from, to)
}

// LedgerProof proves an activity entry about an object of the engagement
// (whenever it was written: an evidence item in the period may have been
// added before it), as the engagement's evidence bundle needs.
func (v *engagementView) LedgerProof(ctx context.Context, seq, size int64) (ledger.Inclusion, error) {
	entries, err := v.org.Activity(ctx, assay.ActivityFilter{BeforeSeq: seq + 1, Limit: 1})
	if err != nil {
		return ledger.Inclusion{}, err
	}
	if len(entries) == 0 || entries[0].Seq != seq {
		return ledger.Inclusion{}, assay.Errorf(assay.ENOTFOUND, "Entry %d not found.", seq)
	}
	a := entries[0]
	sc, err := v.scope(ctx)
	if err != nil {
		return ledger.Inclusion{}, err
	}
	a.At = sc.start // judged by what it is about, not when it was written
	if ok, err := v.hasActivity(ctx, a); !ok {
		return ledger.Inclusion{}, notFoundUnless(err, "Entry %d not found.", seq)
	}
	return v.org.LedgerProof(ctx, seq, size)
}

// notFoundUnless returns err when the check itself failed, else the
// not-found error the caller names.
func notFoundUnless(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return assay.Errorf(assay.ENOTFOUND, format, args...)
}
