package assay

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// ReportDocument names a part of the SOC 2 report that management writes:
// its assertion, or the description of its system (section III).
type ReportDocument string

const (
	ReportAssertion   ReportDocument = "assertion"
	ReportDescription ReportDocument = "description"
)

// ReportDocuments lists the documents management provides, in report order.
var ReportDocuments = []ReportDocument{ReportAssertion, ReportDescription}

// Valid reports whether d is a known document.
func (d ReportDocument) Valid() bool { return d == ReportAssertion || d == ReportDescription }

// Title is the document's heading.
func (d ReportDocument) Title() string {
	if d == ReportAssertion {
		return "Management's assertion"
	}
	return "Description of the system"
}

// ParseReportDocument reads a document name.
func ParseReportDocument(s string) (ReportDocument, error) {
	d := ReportDocument(strings.TrimSpace(s))
	if !d.Valid() {
		return "", Invalid("document", "Unknown document %q; use assertion or description.", s)
	}
	return d, nil
}

// ReportText is a document drafted from the engagement and the scope pages:
// the Markdown is what a signer signs, and Digest (SHA-256, hex) names
// exactly that text. The PDF is laid out from the same Markdown.
type ReportText struct {
	AuditID  int64          `json:"audit_id"`
	Document ReportDocument `json:"document"`
	Title    string         `json:"title"`
	Markdown string         `json:"markdown"`
	Digest   string         `json:"sha256"`
}

// TextDigest is the SHA-256 of a text, in hex.
func TextDigest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// AuditSignoff records that a named executive signed a document of the
// engagement: who signed (a user of the organisation, or a name and title
// typed by an admin), who recorded it, and the digest of what was signed.
type AuditSignoff struct {
	ID             int64          `json:"id"`
	AuditID        int64          `json:"audit_id"`
	Document       ReportDocument `json:"document"`
	Digest         string         `json:"sha256"`
	SignerUserID   int64          `json:"signer_user_id,omitempty"`
	SignerName     string         `json:"signer_name"`
	SignerTitle    string         `json:"signer_title"`
	RecordedByName string         `json:"recorded_by_name"`
	SignedAt       time.Time      `json:"signed_at"`
}

// NewSignoff is the input to sign a document. Digest is the digest of the
// text the signer read; it must match the document as it stands.
type NewSignoff struct {
	Document     ReportDocument `json:"document"`
	Digest       string         `json:"sha256"`
	SignerUserID int64          `json:"signer_user_id"`
	SignerName   string         `json:"signer_name"`
	SignerTitle  string         `json:"signer_title"`
}

// Validate checks and trims a sign-off (the signer's user, when given, is
// resolved by the caller, which fills in the name).
func (n *NewSignoff) Validate() error {
	n.SignerName, n.SignerTitle, n.Digest = strings.TrimSpace(n.SignerName), strings.TrimSpace(n.SignerTitle), strings.ToLower(strings.TrimSpace(n.Digest))
	if !n.Document.Valid() {
		return Invalid("document", "Unknown document %q; use assertion or description.", n.Document)
	}
	if len(n.Digest) != 64 || strings.Trim(n.Digest, "0123456789abcdef") != "" {
		return Invalid("sha256", "Give the SHA-256 (64 hex digits) of the text being signed.")
	}
	if n.SignerName == "" {
		return Invalid("signer_name", "Name the executive who signs.")
	}
	if n.SignerTitle == "" {
		return Invalid("signer_title", "Give the signer's title (for example \"Chief Executive Officer\").")
	}
	if len(n.SignerName) > MaxNameLen || len(n.SignerTitle) > MaxNameLen {
		return Invalid("signer_name", "The signer's name and title are at most %d characters each.", MaxNameLen)
	}
	return nil
}

// SignoffState is a document with its latest sign-off, and whether the
// sign-off still covers the text as it stands (a later change to the scope
// pages or the engagement makes it out of date).
type SignoffState struct {
	Text      ReportText    `json:"document"`
	Signoff   *AuditSignoff `json:"signoff,omitempty"`
	Current   bool          `json:"current"`
	OutOfDate bool          `json:"out_of_date"`
}

// LatestSignoff returns the document's last sign-off, or nil.
func LatestSignoff(list []AuditSignoff, d ReportDocument) *AuditSignoff {
	var out *AuditSignoff
	for i := range list {
		if list[i].Document == d {
			out = &list[i]
		}
	}
	return out
}

// StateOf says whether the latest sign-off covers the text.
func StateOf(t ReportText, list []AuditSignoff) SignoffState {
	s := SignoffState{Text: t, Signoff: LatestSignoff(list, t.Document)}
	if s.Signoff != nil {
		s.Current = s.Signoff.Digest == t.Digest
		s.OutOfDate = !s.Current
	}
	return s
}
