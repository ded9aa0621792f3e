package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// ReportPackage is an engagement's report package as its page shows it:
// each of management's documents with its latest sign-off (and whether the
// text has changed since), the uploaded reports, and the comments on them.
type ReportPackage struct {
	Audit     assay.Audit                `json:"audit"`
	Documents []assay.SignoffState       `json:"documents"`
	Signoffs  []assay.AuditSignoff       `json:"signoffs"`
	Files     []assay.AuditReportFile    `json:"files"`
	Final     *assay.AuditReportFile     `json:"final,omitempty"`
	Comments  []assay.AuditReportComment `json:"comments"`
	Open      int                        `json:"open_comments"`
}

// AuditReportPackage is the engagement's report package.
func (a *App) AuditReportPackage(ctx context.Context, p Principal, id int64) (ReportPackage, error) {
	if err := mayReadReport(p, id); err != nil {
		return ReportPackage{}, err
	}
	au, err := p.Org.Audit(ctx, id)
	if err != nil {
		return ReportPackage{}, err
	}
	org, err := p.Org.Organization(ctx)
	if err != nil {
		return ReportPackage{}, err
	}
	out := ReportPackage{Audit: au}
	if out.Signoffs, err = p.Org.AuditSignoffs(ctx, id); err != nil {
		return ReportPackage{}, err
	}
	for _, d := range assay.ReportDocuments {
		out.Documents = append(out.Documents, assay.StateOf(assay.DraftReportText(d, org, au), out.Signoffs))
	}
	if out.Files, err = p.Org.AuditReportFiles(ctx, id); err != nil {
		return ReportPackage{}, err
	}
	for i := range out.Files {
		if out.Files[i].Kind == assay.ReportFinal {
			out.Final = &out.Files[i]
		}
	}
	if out.Comments, err = p.Org.AuditReportComments(ctx, id); err != nil {
		return ReportPackage{}, err
	}
	for _, c := range out.Comments {
		if c.Open() {
			out.Open++
		}
	}
	return out, nil
}

// SignAuditDocument records that a named executive signed a document: an
// admin records it, naming a user of the organisation (an admin) or typing
// the executive's name and title. The digest given must be the text's as
// it stands, so what is recorded is exactly what was read.
func (a *App) SignAuditDocument(ctx context.Context, p Principal, id int64, n assay.NewSignoff) (assay.AuditSignoff, error) {
	if err := maySignReport(p, id); err != nil {
		return assay.AuditSignoff{}, err
	}
	if n.SignerUserID != 0 {
		u, err := p.Org.User(ctx, n.SignerUserID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.AuditSignoff{}, assay.Invalid("signer_user_id", "There is no such user to sign.")
		}
		if err != nil {
			return assay.AuditSignoff{}, err
		}
		if u.Role != assay.RoleAdmin || u.Disabled {
			return assay.AuditSignoff{}, assay.Invalid("signer_user_id", "%s is not an active admin; name the executive and their title instead.", u.Name)
		}
		n.SignerName = u.Name
	}
	if err := n.Validate(); err != nil {
		return assay.AuditSignoff{}, err
	}
	t, err := a.AuditReportText(ctx, p, id, n.Document)
	if err != nil {
		return assay.AuditSignoff{}, err
	}
	if t.Digest != n.Digest {
		return assay.AuditSignoff{}, assay.Errorf(assay.ECONFLICT, "The %s changed since it was read (its SHA-256 is now %s); read it again before signing.", n.Document, t.Digest)
	}
	s, err := p.Org.SignAuditDocument(ctx, p.Actor(), id, n)
	if err == nil {
		a.log.Info("audit document signed", "org", p.Org.OrgID(), "audit", id, "document", n.Document, "sha256", n.Digest)
	}
	return s, err
}
