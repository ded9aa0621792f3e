package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/pdfstamp"
)

// mayManageTrust lets admins configure the trust center.
func mayManageTrust(p Principal) error {
	if !p.User.Can(assay.ActionManageTrust, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins manage the trust center; your role is %s.", p.User.Role)
	}
	return nil
}

// TrustSettings are the trust center's settings, for admins.
func (a *App) TrustSettings(ctx context.Context, p Principal) (assay.TrustSettings, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustSettings{}, err
	}
	return p.Org.TrustSettings(ctx)
}

// UpdateTrustSettings checks and saves the settings: the tiles must be
// known, and every vendor, policy and incident named must exist (a
// policy must have a published version, an incident must be resolved or
// closed, and no exercise).
func (a *App) UpdateTrustSettings(ctx context.Context, p Principal, t assay.TrustSettings) (assay.TrustSettings, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustSettings{}, err
	}
	tiles, err := catalog.TrustTiles()
	if err != nil {
		return assay.TrustSettings{}, err
	}
	if err := t.Normalize(tiles); err != nil {
		return assay.TrustSettings{}, err
	}
	for _, s := range t.Subprocessors {
		if _, err := p.Org.Vendor(ctx, s.VendorID); err != nil {
			return assay.TrustSettings{}, withField(err, "subprocessors")
		}
	}
	for _, id := range t.Policies {
		pol, err := p.Org.Policy(ctx, id)
		if err != nil {
			return assay.TrustSettings{}, withField(err, "policies")
		}
		if pol.Published == nil {
			return assay.TrustSettings{}, assay.Invalid("policies", "%q has no published version to show.", pol.Title)
		}
	}
	for _, ti := range t.Incidents {
		inc, err := p.Org.Incident(ctx, ti.IncidentID)
		if err != nil {
			return assay.TrustSettings{}, withField(err, "incidents")
		}
		if inc.Exercise {
			return assay.TrustSettings{}, assay.Invalid("incidents", "Incident %d is an exercise, not something to publish.", inc.ID)
		}
	}
	if t.Enabled && t.NDA == "" {
		docs, err := p.Org.TrustDocuments(ctx)
		if err != nil {
			return assay.TrustSettings{}, err
		}
		if slices.ContainsFunc(docs, func(d assay.TrustDocument) bool { return d.NDA && d.Published }) {
			return assay.TrustSettings{}, assay.Invalid("nda", "Documents are offered under NDA; write the NDA visitors accept.")
		}
	}
	defer a.forgetTrust()
	return p.Org.UpdateTrustSettings(ctx, p.Actor(), t)
}

// TrustDocuments lists the documents offered, for admins.
func (a *App) TrustDocuments(ctx context.Context, p Principal) ([]assay.TrustDocument, error) {
	if err := mayManageTrust(p); err != nil {
		return nil, err
	}
	return p.Org.TrustDocuments(ctx)
}

// AddTrustDocument stores a file and offers it on the trust center.
func (a *App) AddTrustDocument(ctx context.Context, p Principal, n assay.NewTrustDocument, content io.Reader, limit int64) (assay.TrustDocument, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustDocument{}, err
	}
	if a.blobs == nil {
		return assay.TrustDocument{}, errors.New("trust document: no blob store")
	}
	b, err := a.blobs.Put(content, limit)
	if err != nil {
		return assay.TrustDocument{}, err
	}
	n.SHA256, n.Size = b.SHA256, b.Size
	if err := a.checkStampable(ctx, n.SHA256, n.Size); err != nil {
		return assay.TrustDocument{}, err
	}
	defer a.forgetTrust()
	return p.Org.CreateTrustDocument(ctx, p.Actor(), n)
}

// OfferAuditReport offers an engagement's final report (already in the
// blob store) under NDA.
func (a *App) OfferAuditReport(ctx context.Context, p Principal, auditID int64, title string) (assay.TrustDocument, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustDocument{}, err
	}
	au, err := p.Org.Audit(ctx, auditID)
	if err != nil {
		return assay.TrustDocument{}, err
	}
	files, err := p.Org.AuditReportFiles(ctx, auditID)
	if err != nil {
		return assay.TrustDocument{}, err
	}
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if f.Kind != assay.ReportFinal {
			continue
		}
		if title == "" {
			title = au.Name + " report"
		}
		if err := a.checkStampable(ctx, f.Digest, f.Size); err != nil {
			return assay.TrustDocument{}, err
		}
		defer a.forgetTrust()
		return p.Org.CreateTrustDocument(ctx, p.Actor(), assay.NewTrustDocument{Title: title, Filename: f.Filename, ContentType: f.ContentType,
			Size: f.Size, SHA256: f.Digest, NDA: true,
			Description: fmt.Sprintf("The independent auditor's report (%s) for %s.", au.Firm, au.Name)})
	}
	return assay.TrustDocument{}, assay.Invalid("audit_id", "%s has no final report yet; upload it on the engagement's report page first.", au.Name)
}

// SetTrustDocumentPublished shows or withdraws a document.
func (a *App) SetTrustDocumentPublished(ctx context.Context, p Principal, id int64, published bool) (assay.TrustDocument, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustDocument{}, err
	}
	defer a.forgetTrust()
	return p.Org.SetTrustDocumentPublished(ctx, p.Actor(), id, published)
}

// TrustRequests lists visitors' requests, for admins.
func (a *App) TrustRequests(ctx context.Context, p Principal, status assay.TrustRequestStatus) ([]assay.TrustAccessRequest, error) {
	if err := mayManageTrust(p); err != nil {
		return nil, err
	}
	return p.Org.TrustRequests(ctx, status)
}

// DecideTrustRequest approves (the link works for the settings' days from
// now) or denies a visitor's request.
func (a *App) DecideTrustRequest(ctx context.Context, p Principal, id int64, approve bool) (assay.TrustAccessRequest, error) {
	if err := mayManageTrust(p); err != nil {
		return assay.TrustAccessRequest{}, err
	}
	settings, err := p.Org.TrustSettings(ctx)
	if err != nil {
		return assay.TrustAccessRequest{}, err
	}
	return p.Org.DecideTrustRequest(ctx, p.Actor(), id, approve, a.clock.Now().Add(settings.LinkTTL()))
}

// checkStampable refuses, when it is offered, a PDF that could not be
// stamped with a requester's name at download: better said to the admin
// now than to a customer later. Other files are sent as they are.
func (a *App) checkStampable(ctx context.Context, digest string, size int64) error {
	if a.blobs == nil {
		return errors.New("trust document: no blob store")
	}
	rd, err := a.blobs.Open(digest, size)
	if err != nil {
		return fmt.Errorf("trust document: %w", err)
	}
	content, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		return fmt.Errorf("trust document: %w", err)
	}
	if !isPDF(content) {
		return nil
	}
	if _, err := pdfstamp.Isolated(ctx, content, "Assay checks that this document can be stamped", 0); err != nil {
		a.log.WarnContext(ctx, "trust document refused: cannot be stamped", "err", err)
		return assay.Invalid("file", "This PDF cannot be stamped with a requester's name (it may be damaged); save it again from the tool that made it and offer that copy.")
	}
	return nil
}
