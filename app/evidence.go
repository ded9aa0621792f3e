package app

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// The rules below are the one place the pages, the API and the CLI decide
// who may do what with evidence. The store then checks the input against
// the data.

// NewEvidence is evidence a person is about to add: the item, and the
// request it answers (0: none) with the answer's note.
type NewEvidence struct {
	Evidence  assay.NewEvidence
	RequestID int64
	Response  string
}

// CheckedEvidence is new evidence checked for one principal by
// CheckEvidence, before any file content is read. Only CheckEvidence makes
// one, so AddCheckedEvidence cannot be handed evidence nobody checked.
type CheckedEvidence struct {
	p        Principal
	n        assay.NewEvidence
	req      *assay.EvidenceRequest
	response string
}

// Request is the request the evidence answers, or nil.
func (c *CheckedEvidence) Request() *assay.EvidenceRequest { return c.req }

// Evidence is the item as checked: a correction's controls filled in from
// the item it supersedes, the request's control added.
func (c *CheckedEvidence) Evidence() assay.NewEvidence { return c.n }

// File is a stored blob's description, for file evidence.
type File struct {
	SHA256, Filename, MediaType string
	Size                        int64
}

// CheckEvidence validates evidence a person is about to add, before any
// file content is read: the fields, the request it answers (the person may
// answer it now), that every control exists, and that the person may add
// evidence to each. A request's assignee may add evidence to its control,
// and the control is added when missing.
func (a *App) CheckEvidence(ctx context.Context, p Principal, in NewEvidence) (*CheckedEvidence, error) {
	c := &CheckedEvidence{p: p, n: in.Evidence, response: in.Response}
	if in.RequestID != 0 {
		r, err := a.AnswerableRequest(ctx, p, in.RequestID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return nil, assay.Invalid("request_id", "No evidence request %d in this organisation.", in.RequestID)
		} else if err != nil {
			return nil, err
		}
		c.req = &r
	}
	if err := a.checkNewEvidence(ctx, p, &c.n, c.req); err != nil {
		return nil, err
	}
	return c, nil
}

func (a *App) checkNewEvidence(ctx context.Context, p Principal, n *assay.NewEvidence, req *assay.EvidenceRequest) error {
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow adding evidence.", p.User.Role)
	}
	var replaced []string // the controls of the item a correction supersedes
	if n.Supersedes > 0 {
		old, err := p.Org.Evidence(ctx, n.Supersedes)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.Invalid("supersedes", "No evidence %d in this organisation.", n.Supersedes)
		} else if err != nil {
			return err
		}
		if old.SupersededBy != 0 {
			return assay.Errorf(assay.ECONFLICT, "Evidence %d is already superseded by %d; correct that one instead.", old.ID, old.SupersededBy)
		}
		replaced = old.Controls
		if len(n.Controls) == 0 {
			n.Controls = old.Controls
		}
	}
	if req != nil && !slices.Contains(n.Controls, req.ControlID) {
		n.Controls = append(n.Controls, req.ControlID)
	}
	if err := n.ValidateMetadata(a.clock.Now()); err != nil {
		return err
	}
	for _, id := range n.Controls {
		if err := canAddEvidenceTo(ctx, p, id, "controls", req); err != nil {
			return err
		}
	}
	// Superseding takes the old item out of force for its controls too.
	for _, id := range replaced {
		if err := canAddEvidenceTo(ctx, p, id, "supersedes", nil); err != nil {
			return err
		}
	}
	return nil
}

// canAddEvidenceTo checks that the control exists and that the person may
// add (or attach, or detach) evidence for it.
func canAddEvidenceTo(ctx context.Context, p Principal, controlID, field string, req *assay.EvidenceRequest) error {
	ctl, err := p.Org.Control(ctx, strings.ToUpper(strings.TrimSpace(controlID)))
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.Invalid(field, "No control %s in this organisation.", controlID)
	} else if err != nil {
		return err
	}
	if p.User.Can(assay.ActionAddEvidence, &ctl) {
		return nil
	}
	if req != nil && req.ControlID == ctl.ID && req.AssigneeID == p.User.ID {
		return nil // asked for it
	}
	if p.User.Role == assay.RoleMember {
		return assay.Errorf(assay.EFORBIDDEN, "Members add evidence only to the controls they own; %s is owned by %s.", ctl.ID, ownerOrNobody(ctl))
	}
	return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow adding evidence.", p.User.Role)
}

// AddCheckedEvidence writes evidence checked with CheckEvidence (for a
// file, after its blob is durable, described by f). Evidence that answers
// a request is created and submitted in one transaction: if the request no
// longer takes it, nothing is added.
func (a *App) AddCheckedEvidence(ctx context.Context, c *CheckedEvidence, f *File) (assay.Evidence, error) {
	if c == nil {
		return assay.Evidence{}, errors.New("add evidence: not checked")
	}
	n := c.n
	if f != nil {
		n.SHA256, n.Size, n.Filename, n.MediaType = f.SHA256, f.Size, f.Filename, f.MediaType
	}
	if c.req == nil {
		return c.p.Org.CreateEvidence(ctx, c.p.Actor(), n)
	}
	ev, _, err := c.p.Org.AnswerEvidenceRequest(ctx, c.p.Actor(), c.req.ID, n, c.response)
	return ev, err
}

// AddEvidence checks and adds evidence whose content, for a file, is read
// from content (at most limit bytes; no limit when limit <= 0) into the
// blob store. The record is written only once the blob is durable.
func (a *App) AddEvidence(ctx context.Context, p Principal, in NewEvidence, f *File, content io.Reader, limit int64) (assay.Evidence, error) {
	c, err := a.CheckEvidence(ctx, p, in)
	if err != nil {
		return assay.Evidence{}, err
	}
	if content != nil {
		if a.blobs == nil {
			return assay.Evidence{}, errors.New("add evidence: no blob store")
		}
		b, err := a.blobs.Put(content, limit)
		if err != nil {
			return assay.Evidence{}, err
		}
		if f == nil {
			f = &File{}
		}
		f.SHA256, f.Size = b.SHA256, b.Size
	}
	return a.AddCheckedEvidence(ctx, c, f)
}

// UpdateEvidenceControls attaches and detaches, for people who may add
// evidence to every control concerned.
func (a *App) UpdateEvidenceControls(ctx context.Context, p Principal, id int64, attach, detach []string) (assay.Evidence, error) {
	if !p.User.Can(assay.ActionAddEvidence, nil) {
		return assay.Evidence{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow changing evidence.", p.User.Role)
	}
	if _, err := p.Org.Evidence(ctx, id); err != nil {
		return assay.Evidence{}, err
	}
	for field, ids := range map[string][]string{"attach": attach, "detach": detach} {
		for _, c := range ids {
			if err := canAddEvidenceTo(ctx, p, c, field, nil); err != nil {
				return assay.Evidence{}, err
			}
		}
	}
	return p.Org.UpdateEvidenceControls(ctx, p.Actor(), id, attach, detach)
}
