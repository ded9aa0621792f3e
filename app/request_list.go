package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// CreateRequestList puts requests on an engagement's request list, all or
// none: an admin or an auditor of the engagement asks; each request goes
// to the person named, else to its control's owner.
func (a *App) CreateRequestList(ctx context.Context, p Principal, auditID int64, ns []assay.NewEvidenceRequest) ([]assay.EvidenceRequest, error) {
	if err := mayAskOnEngagement(p, auditID); err != nil {
		return nil, err
	}
	if _, err := p.Org.Audit(ctx, auditID); err != nil {
		return nil, err
	}
	owners := map[string]int64{}
	for i := range ns {
		ns[i].AuditID = auditID
		if err := a.defaultAssignee(ctx, p, &ns[i], owners); err != nil {
			return nil, assay.RequestLineError(len(ns), i, err)
		}
		if err := checkOwner(ctx, p.Org, "assignee_id", ns[i].AssigneeID); err != nil {
			return nil, assay.RequestLineError(len(ns), i, err)
		}
	}
	return p.Org.CreateEvidenceRequests(ctx, p.Actor(), ns)
}

// defaultAssignee sends a request without an assignee to its control's
// owner (looked up once per control), or says that the control has none.
func (a *App) defaultAssignee(ctx context.Context, p Principal, n *assay.NewEvidenceRequest, owners map[string]int64) error {
	if n.AssigneeID != 0 {
		return nil
	}
	id := strings.ToUpper(strings.TrimSpace(n.ControlID))
	if id == "" {
		return nil // the store says the control is missing
	}
	owner, ok := owners[id]
	if !ok {
		ctl, err := p.Org.Control(ctx, id)
		if err != nil {
			return withField(err, "control_id")
		}
		owner = ctl.OwnerID
		owners[id] = owner
	}
	if owner == 0 {
		return assay.Invalid("assignee_id", "Control %s has no owner; name who should answer.", id)
	}
	n.AssigneeID = owner
	return nil
}

// withField turns a not-found into invalid input in field, as a line of
// a request list is bad input rather than a missing page.
func withField(err error, field string) error {
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.Invalid(field, "%s", assay.ErrorMessage(err))
	}
	return err
}

// SampleRequests is the input to ask for evidence of every item a sample
// drew: one request per item, for one control, due on one date.
type SampleRequests struct {
	ControlID   string    `json:"control_id"`
	DueDate     time.Time `json:"due_date"`
	Description string    `json:"description"`
	AssigneeID  int64     `json:"assignee_id"`
}

// RequestSampleEvidence makes each item a sample drew a line of the
// engagement's request list, referenced by the sample and the item's
// position ("S3-07"), all or none. Items already requested are skipped,
// so asking again after a failure adds only what is missing.
func (a *App) RequestSampleEvidence(ctx context.Context, p Principal, auditID, sampleID int64, in SampleRequests) ([]assay.EvidenceRequest, error) {
	if err := mayAskOnEngagement(p, auditID); err != nil {
		return nil, err
	}
	samples, err := p.Org.AuditSamples(ctx, auditID)
	if err != nil {
		return nil, err
	}
	var s *assay.AuditSample
	for i := range samples {
		if samples[i].ID == sampleID {
			s = &samples[i]
		}
	}
	if s == nil {
		return nil, assay.Errorf(assay.ENOTFOUND, "Engagement %d has no sample %d.", auditID, sampleID)
	}
	if in.ControlID == "" {
		in.ControlID = s.ControlID
	}
	if strings.TrimSpace(in.ControlID) == "" {
		return nil, assay.Invalid("control_id", "The %s population belongs to no control; choose the control the evidence is for.", s.Population)
	}
	existing, err := p.Org.EvidenceRequests(ctx, assay.EvidenceRequestFilter{AuditID: auditID})
	if err != nil {
		return nil, err
	}
	asked := map[string]bool{}
	for _, r := range existing {
		if r.SampleID == sampleID {
			asked[r.SampleItem] = true
		}
	}
	var ns []assay.NewEvidenceRequest
	for i, key := range s.Keys {
		if asked[key] {
			continue
		}
		desc := strings.TrimSpace(in.Description)
		if desc == "" {
			desc = fmt.Sprintf("Evidence for sampled item %s (%s population, item %d of %d).", key, s.Population, i+1, len(s.Keys))
		} else {
			desc = fmt.Sprintf("%s Sampled item: %s.", desc, key)
		}
		ns = append(ns, assay.NewEvidenceRequest{ControlID: in.ControlID, AssigneeID: in.AssigneeID, DueDate: in.DueDate, Description: desc,
			Reference: fmt.Sprintf("S%d-%02d", s.ID, i+1), SampleID: s.ID, SampleItem: key})
	}
	if len(ns) == 0 {
		return nil, assay.Errorf(assay.ECONFLICT, "Every item of sample %d already has its request.", sampleID)
	}
	return a.CreateRequestList(ctx, p, auditID, ns)
}

// mayAskOnEngagement lets admins and auditors ask for evidence on an
// engagement they may read.
func mayAskOnEngagement(p Principal, auditID int64) error {
	if !p.User.Can(assay.ActionRequestEvidence, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins and auditors ask for evidence; your role is %s.", p.User.Role)
	}
	return mayReadAudit(p, auditID)
}

// CommentEvidenceRequest adds to a request's thread: whoever asked, whoever
// answers, an admin or an auditor who may read the request.
func (a *App) CommentEvidenceRequest(ctx context.Context, p Principal, id int64, body string) (assay.RequestComment, error) {
	req, err := a.EvidenceRequest(ctx, p, id)
	if err != nil {
		return assay.RequestComment{}, err
	}
	if !MayComment(p, req) {
		return assay.RequestComment{}, assay.Errorf(assay.EFORBIDDEN, "Only %s (who asked), %s (who answers), admins and auditors comment on evidence request %d.",
			req.RequestedByName, req.AssigneeName, id)
	}
	return p.Org.CommentEvidenceRequest(ctx, p.Actor(), id, body)
}

// EvidenceRequestComments is a request's thread, for whoever may read it.
func (a *App) EvidenceRequestComments(ctx context.Context, p Principal, id int64) ([]assay.RequestComment, error) {
	if err := mayReadRequests(p); err != nil {
		return nil, err
	}
	return p.Org.EvidenceRequestComments(ctx, id)
}
