package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// TrustPage is everything the public trust center shows, built only from
// what the admin published and what Assay measured. Nothing here names
// staff, evidence, notes or internal ids beyond those published (the
// numbers of public documents and policies, used in their links).
type TrustPage struct {
	OrgID         int64                     `json:"-"`
	Company       string                    `json:"company"`
	Description   string                    `json:"description,omitempty"`
	Contact       string                    `json:"contact,omitempty"`
	Logo          string                    `json:"-"` // a data: URL checked by assay.TrustLogo
	Tiles         []assay.TrustTile         `json:"tiles"`
	Compliance    []TrustAttestation        `json:"compliance"`
	Subprocessors []assay.TrustSubprocessor `json:"subprocessors"`
	Policies      []TrustPolicy             `json:"policies"`
	Incidents     []TrustIncidentView       `json:"incidents"`
	FAQ           []assay.TrustFAQ          `json:"faq"`
	Documents     []TrustDocumentView       `json:"documents"`
	Services      []TrustService            `json:"services"`
	Checkpoint    *TrustCheckpoint          `json:"checkpoint,omitempty"`
	PublicKey     string                    `json:"public_key,omitempty"`
	NDA           string                    `json:"-"`
	NDAVersion    string                    `json:"-"`
	AsOf          time.Time                 `json:"as_of"`
}

// TrustAttestation is a SOC 2 engagement as customers see it.
type TrustAttestation struct {
	Kind       string     `json:"kind"` // "SOC 2 Type I" or "SOC 2 Type II"
	AsOf       *time.Time `json:"as_of,omitempty"`
	From       *time.Time `json:"period_start,omitempty"`
	To         *time.Time `json:"period_end,omitempty"`
	Auditor    string     `json:"auditor"`
	Status     string     `json:"status"` // "Report issued", "Audit in progress"
	Categories []string   `json:"categories"`
}

// TrustPolicy is a public policy's published version.
type TrustPolicy struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Version     string     `json:"version"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Body        string     `json:"-"` // Markdown, on the policy's own page
}

// TrustIncidentView is a published incident: when, whether resolved, and
// the public summary (never the internal title or timeline).
type TrustIncidentView struct {
	Date       time.Time  `json:"date"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Summary    string     `json:"summary"`
}

// TrustDocumentView is an offered document as visitors see it.
type TrustDocumentView struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	NDA         bool   `json:"nda"`
	SHA256      string `json:"sha256"`
}

// TrustCheckpoint is the ledger checkpoint the page is tied to.
type TrustCheckpoint struct {
	Size      int64     `json:"tree_size"`
	Root      string    `json:"root_hash"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// trustCacheTTL is how long a built page is served again: the figures
// are "as of" its time, and visitors' reloads cost nothing.
const trustCacheTTL = 30 * time.Second

type trustCache struct {
	mu       sync.Mutex
	page     *TrustPage
	at       time.Time
	building bool
	// the snapshot served for page, so a built page is attested once
	snapPage *TrustPage
	snapDoc  []byte
}

// PublicTrust is the public trust center, as of now (or up to
// trustCacheTTL before). ENOTFOUND when no trust center is published.
func (a *App) PublicTrust(ctx context.Context) (*TrustPage, error) {
	now := a.clock.Now()
	a.trust.mu.Lock()
	if p := a.trust.page; p != nil && (a.trust.building || !now.Before(a.trust.at) && now.Sub(a.trust.at) < trustCacheTTL) {
		a.trust.mu.Unlock()
		return p, nil // fresh, or being rebuilt by another request: visitors never wait for a rebuild
	}
	a.trust.building = true
	a.trust.mu.Unlock()
	defer func() {
		a.trust.mu.Lock()
		a.trust.building = false
		a.trust.mu.Unlock()
	}()
	orgID, err := a.store.PublicTrustOrg(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.buildTrustPage(ctx, a.store.Org(orgID), now)
	if err != nil {
		return nil, err
	}
	a.trust.mu.Lock()
	a.trust.page, a.trust.at = p, now
	a.trust.mu.Unlock()
	return p, nil
}

// forgetTrust drops the cached page after a change an admin made.
func (a *App) forgetTrust() {
	a.trust.mu.Lock()
	a.trust.page = nil
	a.trust.mu.Unlock()
}

func (a *App) buildTrustPage(ctx context.Context, org store.OrgStore, now time.Time) (*TrustPage, error) {
	s, err := org.TrustSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !s.Enabled {
		return nil, assay.Errorf(assay.ENOTFOUND, "No trust center is published.")
	}
	p := &TrustPage{OrgID: org.OrgID(), Company: s.CompanyName, Description: s.Description, Contact: s.Contact, Logo: s.Logo,
		FAQ: s.FAQ, NDA: s.NDA, NDAVersion: s.NDAVersion(), AsOf: now, Subprocessors: []assay.TrustSubprocessor{}, Policies: []TrustPolicy{},
		Incidents: []TrustIncidentView{}, Documents: []TrustDocumentView{}, Services: []TrustService{}, Compliance: []TrustAttestation{}}
	if key, err := a.signingKey(); err == nil {
		p.PublicKey = key.VerifierKey
	}
	if cp, err := a.LatestCheckpoint(ctx); err != nil {
		return nil, err
	} else if cp != nil {
		p.Checkpoint = &TrustCheckpoint{Size: cp.Size, Root: cp.Root.String(), Note: cp.Note, CreatedAt: cp.CreatedAt}
	}
	if p.Tiles, err = a.trustTiles(ctx, org, s, p.Checkpoint, now); err != nil {
		return nil, err
	}
	if p.Compliance, err = trustCompliance(ctx, org); err != nil {
		return nil, err
	}
	for _, sp := range s.Subprocessors {
		v, err := org.Vendor(ctx, sp.VendorID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			continue // deleted since: nothing to show
		} else if err != nil {
			return nil, err
		}
		sp.Name = v.Name
		p.Subprocessors = append(p.Subprocessors, sp)
	}
	for _, id := range s.Policies {
		pol, err := org.Policy(ctx, id)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if v := pol.Published; v != nil {
			p.Policies = append(p.Policies, TrustPolicy{ID: pol.ID, Title: pol.Title, Version: v.Version, PublishedAt: v.PublishedAt, Body: v.Body})
		}
	}
	for _, ti := range s.Incidents {
		inc, err := org.Incident(ctx, ti.IncidentID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		p.Incidents = append(p.Incidents, TrustIncidentView{Date: assay.Day(inc.OccurredAt), ResolvedAt: inc.ResolvedAt, Summary: ti.Summary})
	}
	docs, err := org.TrustDocuments(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if d.Published {
			p.Documents = append(p.Documents, TrustDocumentView{ID: d.ID, Title: d.Title, Description: d.Description, NDA: d.NDA, SHA256: d.SHA256})
		}
	}
	if p.Services, err = a.trustServices(ctx, org, s, now); err != nil {
		return nil, err
	}
	return p, nil
}

// trustCompliance lists the SOC 2 engagements past planning, newest first.
func trustCompliance(ctx context.Context, org store.OrgStore) ([]TrustAttestation, error) {
	audits, err := org.Audits(ctx)
	if err != nil {
		return nil, err
	}
	out := []TrustAttestation{}
	for _, au := range audits {
		if au.Status == assay.AuditPlanned {
			continue
		}
		t := TrustAttestation{Kind: "SOC 2 Type II", From: au.PeriodStart, To: au.PeriodEnd, Auditor: au.Firm, Status: "Audit in progress",
			Categories: slices.Clone(au.Scope.Categories)}
		if au.Type == assay.AuditType1 {
			t = TrustAttestation{Kind: "SOC 2 Type I", AsOf: au.AsOf, Auditor: au.Firm, Status: "Audit in progress", Categories: t.Categories}
		}
		if au.Status == assay.AuditClosed {
			t.Status = "Report issued"
		}
		for i, c := range t.Categories {
			t.Categories[i] = strings.ToUpper(c[:1]) + strings.ReplaceAll(c[1:], "_", " ")
		}
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(x, y TrustAttestation) int { return trustEnd(y).Compare(trustEnd(x)) })
	if len(out) > 4 {
		out = out[:4]
	}
	return out, nil
}

func trustEnd(t TrustAttestation) time.Time {
	switch {
	case t.To != nil:
		return *t.To
	case t.AsOf != nil:
		return *t.AsOf
	}
	return time.Time{}
}

// trustNoData is a tile without data, saying why.
func trustNoData(d assay.TrustTileDef, why string, now time.Time) assay.TrustTile {
	return assay.TrustTile{ID: d.ID, Group: d.Group, Title: d.Title, Explanation: d.Explanation, State: assay.TileNoData, Inputs: why, AsOf: now}
}

func pct(n, of int) string {
	if of == 0 {
		return ""
	}
	v := float64(n) * 100 / float64(of)
	if n != of && v > 99.9 {
		v = 99.9 // never round a failure up to 100%
	}
	return fmt.Sprintf("%.1f%%", v)
}
