package assay

import (
	"strings"
	"time"
)

// ReportFileKind says whether an uploaded report is the auditor's draft or
// the final report, the engagement's result.
type ReportFileKind string

const (
	ReportDraft ReportFileKind = "draft"
	ReportFinal ReportFileKind = "final"
)

// Valid reports whether k is a known kind.
func (k ReportFileKind) Valid() bool { return k == ReportDraft || k == ReportFinal }

// AuditReportFile is a report the auditor uploaded: a blob in the evidence
// store named by its SHA-256, which the ledger records.
type AuditReportFile struct {
	ID             int64          `json:"id"`
	AuditID        int64          `json:"audit_id"`
	Kind           ReportFileKind `json:"kind"`
	Filename       string         `json:"filename"`
	ContentType    string         `json:"content_type"`
	Size           int64          `json:"size"`
	Digest         string         `json:"sha256"`
	UploadedByName string         `json:"uploaded_by_name"`
	UploadedAt     time.Time      `json:"uploaded_at"`
}

// NewReportFile is a report stored in the blob store, to record.
type NewReportFile struct {
	Kind        ReportFileKind
	Filename    string
	ContentType string
	Size        int64
	Digest      string
}

// Validate checks a report file before it is recorded.
func (n *NewReportFile) Validate() error {
	n.Filename = strings.TrimSpace(n.Filename)
	if !n.Kind.Valid() {
		return Invalid("kind", "Unknown report kind %q; use draft or final.", n.Kind)
	}
	if n.Filename == "" {
		return Invalid("file", "Choose the report file to upload.")
	}
	if len(n.Filename) > MaxNameLen {
		return Invalid("file", "The file name is longer than %d characters.", MaxNameLen)
	}
	if len(n.Digest) != 64 {
		return Invalid("file", "The report file has no SHA-256.")
	}
	return nil
}

// AuditReportComment is a comment on a draft report, by the auditor or
// management, open until an admin resolves it.
type AuditReportComment struct {
	ID             int64      `json:"id"`
	AuditID        int64      `json:"audit_id"`
	FileID         int64      `json:"file_id"`
	Body           string     `json:"body"`
	AuthorName     string     `json:"author_name"`
	AuthorRole     Role       `json:"author_role"`
	CreatedAt      time.Time  `json:"created_at"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	ResolvedByName string     `json:"resolved_by_name,omitempty"`
}

// Open reports whether the comment awaits resolution.
func (c AuditReportComment) Open() bool { return c.ResolvedAt == nil }

// MaxCommentLen bounds a comment on a report.
const MaxCommentLen = 5000

// CheckReportComment trims and checks a comment's text.
func CheckReportComment(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return "", Invalid("body", "Write the comment.")
	}
	if len(body) > MaxCommentLen {
		return "", Invalid("body", "A comment is at most %d characters.", MaxCommentLen)
	}
	return body, nil
}
