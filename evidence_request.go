package assay

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RequestStatus is where an evidence request stands.
type RequestStatus string

const (
	RequestOpen      RequestStatus = "open"      // asked, not yet answered
	RequestSubmitted RequestStatus = "submitted" // answered, waiting for a decision
	RequestAccepted  RequestStatus = "accepted"  // the requester is satisfied
	RequestReturned  RequestStatus = "returned"  // sent back for more; it may be answered again
)

// RequestStatuses lists every status in workflow order.
var RequestStatuses = []RequestStatus{RequestOpen, RequestSubmitted, RequestAccepted, RequestReturned}

// Valid reports whether s is a known status.
func (s RequestStatus) Valid() bool { return slices.Contains(RequestStatuses, s) }

// Label is the status as a person reads it.
func (s RequestStatus) Label() string {
	switch s {
	case RequestOpen:
		return "Open"
	case RequestSubmitted:
		return "Submitted"
	case RequestAccepted:
		return "Accepted"
	case RequestReturned:
		return "Returned"
	}
	return string(s)
}

// AwaitsAnswer reports whether a request in this status waits for the
// person who answers it (open, or returned for more).
func (s RequestStatus) AwaitsAnswer() bool { return s == RequestOpen || s == RequestReturned }

// EvidenceRef is an evidence item as a request lists it.
type EvidenceRef struct {
	ID     int64        `json:"id"`
	Kind   EvidenceKind `json:"kind"`
	Title  string       `json:"title"`
	SHA256 string       `json:"sha256,omitempty"`
}

// EvidenceRequest is someone (an auditor or admin) asking for evidence
// for a control by a date, and its answer.
type EvidenceRequest struct {
	ID              int64         `json:"id"`
	ControlID       string        `json:"control_id"`
	ControlName     string        `json:"control_name"`
	RequestedBy     int64         `json:"requested_by,omitempty"`
	RequestedByName string        `json:"requested_by_name"`
	AssigneeID      int64         `json:"assignee_id"`
	AssigneeName    string        `json:"assignee_name"`
	DueDate         time.Time     `json:"due_date"`
	Description     string        `json:"description"`
	Status          RequestStatus `json:"status"`
	Response        string        `json:"response,omitempty"` // the assignee's note with the answer
	Reason          string        `json:"reason,omitempty"`   // the decision's reason
	DecidedBy       int64         `json:"decided_by,omitempty"`
	DecidedByName   string        `json:"decided_by_name,omitempty"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	SubmittedAt     *time.Time    `json:"submitted_at,omitempty"`
	DecidedAt       *time.Time    `json:"decided_at,omitempty"`
	Evidence        []EvidenceRef `json:"evidence"`
	// AuditID is the engagement whose request list holds the request (0:
	// asked outside any engagement); Reference is the auditor's own
	// reference for it, unique within the engagement.
	AuditID   int64  `json:"audit_id,omitempty"`
	Reference string `json:"reference,omitempty"`
	// SampleID and SampleItem name the sampled item the request asks
	// evidence for, when it was made from a sample.
	SampleID   int64  `json:"sample_id,omitempty"`
	SampleItem string `json:"sample_item,omitempty"`
	// Comments counts the comments in the request's thread.
	Comments int `json:"comments"`
}

// Overdue reports whether the request is still waiting for an answer
// after its due date.
func (r EvidenceRequest) Overdue(now time.Time) bool {
	return r.Status.AwaitsAnswer() && Day(now).After(r.DueDate)
}

// NewEvidenceRequest is the input to ask for evidence.
type NewEvidenceRequest struct {
	ControlID   string    `json:"control_id"`
	AssigneeID  int64     `json:"assignee_id"`
	DueDate     time.Time `json:"due_date"`
	Description string    `json:"description"`
	AuditID     int64     `json:"audit_id,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	SampleID    int64     `json:"sample_id,omitempty"`
	SampleItem  string    `json:"sample_item,omitempty"`
}

// Validate checks a new request at now.
func (n *NewEvidenceRequest) Validate(now time.Time) error {
	n.ControlID = strings.ToUpper(strings.TrimSpace(n.ControlID))
	n.Description = strings.TrimSpace(n.Description)
	n.Reference = strings.TrimSpace(n.Reference)
	n.SampleItem = strings.TrimSpace(n.SampleItem)
	if n.Reference != "" && n.AuditID == 0 {
		return Invalid("reference", "A reference belongs to an engagement's request list; choose the engagement.")
	}
	if len(n.Reference) > 64 {
		return Invalid("reference", "The reference is longer than 64 characters.")
	}
	if n.SampleID != 0 && n.AuditID == 0 {
		return Invalid("sample_id", "A sample belongs to an engagement; choose the engagement.")
	}
	if (n.SampleID == 0) != (n.SampleItem == "") {
		return Invalid("sample_item", "A sampled item needs both its sample and its key.")
	}
	if n.ControlID == "" {
		return Invalid("control_id", "Choose the control the evidence is for.")
	}
	if n.AssigneeID <= 0 {
		return Invalid("assignee_id", "Choose who should answer.")
	}
	if n.DueDate.IsZero() {
		return Invalid("due_date", "Give a due date.")
	}
	n.DueDate = Day(n.DueDate)
	if n.DueDate.Before(Day(now)) {
		return Invalid("due_date", "The due date is in the past.")
	}
	if n.DueDate.After(now.AddDate(2, 0, 0)) {
		return Invalid("due_date", "The due date is more than two years away.")
	}
	if n.Description == "" {
		return Invalid("description", "Say what evidence you need.")
	}
	if len(n.Description) > MaxControlText {
		return Invalid("description", "The description is longer than %d characters.", MaxControlText)
	}
	return nil
}

// EvidenceRequestFilter narrows a list of requests. Zero fields match all.
type EvidenceRequestFilter struct {
	ControlID  string
	AuditID    int64
	Status     RequestStatus
	AssigneeID int64
	Limit      int
}

// RequestComment is one message in a request's thread between whoever
// asked (often the auditor) and whoever answers.
type RequestComment struct {
	ID         int64     `json:"id"`
	RequestID  int64     `json:"request_id"`
	AuthorID   int64     `json:"author_id,omitempty"`
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

// MaxRequestList bounds the requests created at once (an imported request
// list, or one request per sampled item).
const MaxRequestList = 500

// MaxCommentText bounds a comment.
const MaxCommentText = 4000

// NormalizeComment trims a comment's body and checks it.
func NormalizeComment(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return "", Invalid("body", "Write the comment.")
	}
	if len(body) > MaxCommentText {
		return "", Invalid("body", "The comment is longer than %d characters.", MaxCommentText)
	}
	return body, nil
}

// RequestLineError names the request, counted from 1, in an error about a
// list of more than one request; for a single request err is unchanged.
func RequestLineError(total, i int, err error) error {
	if total == 1 {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Message = fmt.Sprintf("Request %d: %s", i+1, e.Message)
		return &c
	}
	return fmt.Errorf("request %d: %w", i+1, err)
}
