package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/pdfstamp"
)

// TrustVisitorRequest is a visitor's request as their private page shows
// it, with the link to that page (given once, when they ask).
type TrustVisitorRequest struct {
	OrgID    int64
	Request  assay.TrustAccessRequest
	Document assay.TrustDocument
	Link     string // the secret in the private link; only on creation
}

// RequestTrustDocument records a visitor's request for a document, with
// the NDA they accepted. A request from a domain the admin listed is
// approved at once; the others wait for an admin.
func (a *App) RequestTrustDocument(ctx context.Context, n assay.NewTrustAccessRequest) (TrustVisitorRequest, error) {
	page, err := a.PublicTrust(ctx)
	if err != nil {
		return TrustVisitorRequest{}, err
	}
	org := a.store.Org(page.OrgID)
	settings, err := org.TrustSettings(ctx)
	if err != nil {
		return TrustVisitorRequest{}, err
	}
	doc, err := org.TrustDocument(ctx, n.DocumentID)
	if err != nil || !doc.Published {
		return TrustVisitorRequest{}, assay.Errorf(assay.ENOTFOUND, "Document not found.")
	}
	if !doc.NDA {
		n.AcceptNDA = true // nothing to accept: the request only records who asked
	}
	if err := n.Normalize(); err != nil {
		return TrustVisitorRequest{}, err
	}
	secret := auth.NewToken(auth.PrefixTrust)
	visitor := assay.Actor{Name: fmt.Sprintf("%s <%s>", n.Name, n.Email), Via: "trust"}
	req, err := org.CreateTrustRequest(ctx, visitor, n, settings.NDAVersion(), auth.HashToken(secret))
	if err != nil {
		return TrustVisitorRequest{}, err
	}
	if settings.AutoApproves(req.Email) {
		domain := req.Email[strings.LastIndexByte(req.Email, '@')+1:]
		rule := assay.Actor{Name: "Auto-approval for " + domain, Via: "trust"}
		if req, err = org.DecideTrustRequest(ctx, rule, req.ID, true, a.clock.Now().Add(settings.LinkTTL())); err != nil {
			return TrustVisitorRequest{}, err
		}
	}
	return TrustVisitorRequest{OrgID: page.OrgID, Request: req, Document: doc, Link: secret}, nil
}

// TrustRequestByLink is the request behind a visitor's private link.
func (a *App) TrustRequestByLink(ctx context.Context, secret string) (TrustVisitorRequest, error) {
	if !strings.HasPrefix(secret, auth.PrefixTrust) {
		return TrustVisitorRequest{}, assay.Errorf(assay.ENOTFOUND, "This link is not known.")
	}
	orgID, err := a.store.PublicTrustOrg(ctx)
	if err != nil {
		return TrustVisitorRequest{}, err
	}
	org := a.store.Org(orgID)
	req, err := org.TrustRequestByToken(ctx, auth.HashToken(secret))
	if err != nil {
		return TrustVisitorRequest{}, assay.Errorf(assay.ENOTFOUND, "This link is not known.")
	}
	doc, err := org.TrustDocument(ctx, req.DocumentID)
	if err != nil {
		return TrustVisitorRequest{}, err
	}
	return TrustVisitorRequest{OrgID: orgID, Request: req, Document: doc}, nil
}

// TrustDownload is a document sent through an approved link, logged
// (with the client's address) in the ledger on every use. A PDF is
// stamped on every page with the requester's name, e-mail and the date.
func (a *App) TrustDownload(ctx context.Context, secret, clientAddr string) (assay.TrustDocument, []byte, error) {
	v, err := a.TrustRequestByLink(ctx, secret)
	if err != nil {
		return assay.TrustDocument{}, nil, err
	}
	now := a.clock.Now()
	r := v.Request
	switch {
	case r.Status == assay.TrustRequestPending:
		return v.Document, nil, assay.Errorf(assay.EFORBIDDEN, "Your request is waiting for approval.")
	case r.Status == assay.TrustRequestDenied:
		return v.Document, nil, assay.Errorf(assay.EFORBIDDEN, "Your request was not approved.")
	case !r.LinkWorks(now):
		return v.Document, nil, assay.Errorf(assay.EGONE, "This link stopped working on %s; ask for the document again.", r.ExpiresAt.UTC().Format("2 January 2006"))
	case !v.Document.Published:
		return v.Document, nil, assay.Errorf(assay.ENOTFOUND, "The document is no longer offered.")
	}
	if a.blobs == nil {
		return v.Document, nil, errors.New("trust download: no blob store")
	}
	rd, err := a.blobs.Open(v.Document.SHA256, v.Document.Size)
	if err != nil {
		return v.Document, nil, fmt.Errorf("trust download: %w", err)
	}
	content, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		return v.Document, nil, fmt.Errorf("trust download: %w", err)
	}
	if isPDF(content) {
		line := fmt.Sprintf("Provided to %s <%s>, %s, on %s under NDA - do not redistribute", r.Name, r.Email, r.Company, now.UTC().Format("2006-01-02"))
		if !v.Document.NDA {
			line = fmt.Sprintf("Provided to %s <%s>, %s, on %s", r.Name, r.Email, r.Company, now.UTC().Format("2006-01-02"))
		}
		if content, err = a.stampPDF(ctx, content, line); err != nil {
			return v.Document, nil, err
		}
	}
	org := a.store.Org(v.OrgID)
	visitor := assay.Actor{Name: fmt.Sprintf("%s <%s>", r.Name, r.Email), Via: "trust"}
	if err := org.RecordTrustDownload(ctx, visitor, r.ID, clientAddr); err != nil {
		return v.Document, nil, err
	}
	return v.Document, content, nil
}

func isPDF(b []byte) bool { return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("%PDF-")) }

// stampPDF stamps in a child process (pdfstamp.Isolated): the reader
// underneath is not hardened against damaged files.
func (a *App) stampPDF(ctx context.Context, pdf []byte, line string) ([]byte, error) {
	out, err := pdfstamp.Isolated(ctx, pdf, line, 0)
	if err != nil {
		a.log.ErrorContext(ctx, "trust document not stamped", "err", err)
		return nil, assay.Errorf(assay.EINTERNAL, "The document could not be prepared for download; please write to the security contact.")
	}
	return out, nil
}
