package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

const requestColumns = `r.id, r.control_id, COALESCE(c.name, ''), r.requested_by, r.requested_by_name, r.assignee_id, COALESCE(u.name, ''),
	r.due_date, r.description, r.status, r.response, r.reason, r.decided_by, r.decided_by_name, r.created_at, r.updated_at,
	r.submitted_at, r.decided_at, r.audit_id, r.reference, r.sample_id, r.sample_item,
	(SELECT COUNT(*) FROM evidence_request_comments rc WHERE rc.org_id = r.org_id AND rc.request_id = r.id)`

const requestFrom = ` FROM evidence_requests r
	LEFT JOIN controls c ON c.org_id = r.org_id AND c.id = r.control_id
	LEFT JOIN users u ON u.org_id = r.org_id AND u.id = r.assignee_id`

func scanRequest(row interface{ Scan(...any) error }) (assay.EvidenceRequest, error) {
	var r assay.EvidenceRequest
	var requestedBy, decidedBy, auditID, sampleID sql.NullInt64
	var due, created, updated string
	var submitted, decided sql.NullString
	err := row.Scan(&r.ID, &r.ControlID, &r.ControlName, &requestedBy, &r.RequestedByName, &r.AssigneeID, &r.AssigneeName,
		&due, &r.Description, &r.Status, &r.Response, &r.Reason, &decidedBy, &r.DecidedByName, &created, &updated, &submitted, &decided,
		&auditID, &r.Reference, &sampleID, &r.SampleItem, &r.Comments)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, assay.Errorf(assay.ENOTFOUND, "Evidence request not found.")
		}
		return r, fmt.Errorf("scan evidence request: %w", err)
	}
	r.RequestedBy, r.DecidedBy = requestedBy.Int64, decidedBy.Int64
	r.AuditID, r.SampleID = auditID.Int64, sampleID.Int64
	if r.DueDate, err = parseTime(due); err != nil {
		return r, err
	}
	if r.CreatedAt, err = parseTime(created); err != nil {
		return r, err
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return r, err
	}
	if r.SubmittedAt, err = parseTimePtr(submitted); err != nil {
		return r, err
	}
	if r.DecidedAt, err = parseTimePtr(decided); err != nil {
		return r, err
	}
	r.Evidence = []assay.EvidenceRef{}
	return r, nil
}

// loadRequestEvidence fills in the evidence submitted to each request.
func (s *orgStore) loadRequestEvidence(ctx context.Context, q rowQuerier, reqs []assay.EvidenceRequest) error {
	if len(reqs) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(reqs))
	args := []any{s.orgID}
	for i, r := range reqs {
		idx[r.ID] = i
		args = append(args, r.ID)
	}
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT ri.request_id, e.id, e.kind, e.title, e.sha256
		FROM evidence_request_items ri JOIN evidence_items e ON e.org_id = ri.org_id AND e.id = ri.evidence_id
		WHERE ri.org_id = ? AND ri.request_id IN (`+placeholders(len(reqs))+`) ORDER BY e.id`), args...)
	if err != nil {
		return fmt.Errorf("evidence of requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var ref assay.EvidenceRef
		var digest sql.NullString
		if err := rows.Scan(&rid, &ref.ID, &ref.Kind, &ref.Title, &digest); err != nil {
			return fmt.Errorf("scan evidence of requests: %w", err)
		}
		ref.SHA256 = digest.String
		if i, ok := idx[rid]; ok {
			reqs[i].Evidence = append(reqs[i].Evidence, ref)
		}
	}
	return rows.Err()
}

func (s *orgStore) requestByID(ctx context.Context, q rowQuerier, id int64) (assay.EvidenceRequest, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, s.db.q(`SELECT `+requestColumns+requestFrom+` WHERE r.org_id = ? AND r.id = ?`), s.orgID, id))
	if err != nil {
		return r, err
	}
	reqs := []assay.EvidenceRequest{r}
	if err := s.loadRequestEvidence(ctx, q, reqs); err != nil {
		return r, err
	}
	return reqs[0], nil
}

// EvidenceRequest returns one request with the evidence submitted to it.
func (s *orgStore) EvidenceRequest(ctx context.Context, id int64) (assay.EvidenceRequest, error) {
	return s.requestByID(ctx, s.db.read, id)
}

// EvidenceRequests lists requests, newest first.
func (s *orgStore) EvidenceRequests(ctx context.Context, f assay.EvidenceRequestFilter) ([]assay.EvidenceRequest, error) {
	q := `SELECT ` + requestColumns + requestFrom + ` WHERE r.org_id = ?`
	args := []any{s.orgID}
	if f.ControlID != "" {
		q += ` AND r.control_id = ?`
		args = append(args, strings.ToUpper(strings.TrimSpace(f.ControlID)))
	}
	if f.AuditID != 0 {
		q += ` AND r.audit_id = ?`
		args = append(args, f.AuditID)
	}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, assay.Invalid("status", "Unknown status %q; use open, submitted, accepted or returned.", f.Status)
		}
		q += ` AND r.status = ?`
		args = append(args, string(f.Status))
	}
	if f.AssigneeID != 0 {
		q += ` AND r.assignee_id = ?`
		args = append(args, f.AssigneeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.db.query(ctx, q+fmt.Sprintf(` ORDER BY r.id DESC LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list evidence requests: %w", err)
	}
	out := []assay.EvidenceRequest{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	if err := s.loadRequestEvidence(ctx, s.db.read, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateEvidenceRequest asks for evidence for a control.
func (s *orgStore) CreateEvidenceRequest(ctx context.Context, actor assay.Actor, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error) {
	out, err := s.CreateEvidenceRequests(ctx, actor, []assay.NewEvidenceRequest{n})
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	return out[0], nil
}

// CreateEvidenceRequests asks for several items at once, all or none: an
// auditor's imported request list, or one request per sampled item. An
// error names the line (1-based, in the order given) that failed.
func (s *orgStore) CreateEvidenceRequests(ctx context.Context, actor assay.Actor, ns []assay.NewEvidenceRequest) ([]assay.EvidenceRequest, error) {
	if len(ns) == 0 {
		return nil, assay.Invalid("requests", "There are no requests to create.")
	}
	if len(ns) > assay.MaxRequestList {
		return nil, assay.Invalid("requests", "A request list holds at most %d requests; this one has %d.", assay.MaxRequestList, len(ns))
	}
	now := s.db.clock.Now()
	for i := range ns {
		if err := ns[i].Validate(now); err != nil {
			return nil, assay.RequestLineError(len(ns), i, err)
		}
	}
	out := make([]assay.EvidenceRequest, 0, len(ns))
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		for i, n := range ns {
			r, err := s.createRequest(tx, actor, n)
			if err != nil {
				return assay.RequestLineError(len(ns), i, err)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// createRequest inserts one checked request inside tx, with its entry.
func (s *orgStore) createRequest(tx *Tx, actor assay.Actor, n assay.NewEvidenceRequest) (assay.EvidenceRequest, error) {
	if err := tx.requireControls(s.orgID, "control_id", []string{n.ControlID}); err != nil {
		return assay.EvidenceRequest{}, err
	}
	assignee, err := tx.user(s.orgID, n.AssigneeID)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.EvidenceRequest{}, assay.Invalid("assignee_id", "No user %d in this organisation.", n.AssigneeID)
	} else if err != nil {
		return assay.EvidenceRequest{}, err
	}
	if assignee.Disabled {
		return assay.EvidenceRequest{}, assay.Invalid("assignee_id", "%s is disabled.", assignee.Name)
	}
	if !assignee.Can(assay.ActionAddEvidence, nil) {
		return assay.EvidenceRequest{}, assay.Invalid("assignee_id", "%s is %s and cannot add evidence; choose an admin or a member.", assignee.Name, assignee.Role)
	}
	if err := s.checkRequestLinks(tx, n); err != nil {
		return assay.EvidenceRequest{}, err
	}
	now := formatTime(tx.now)
	var id int64
	err = tx.queryRow(`INSERT INTO evidence_requests (org_id, control_id, requested_by, requested_by_name, assignee_id, due_date, description,
		status, created_at, updated_at, audit_id, reference, sample_id, sample_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.orgID, n.ControlID, nullInt(actor.UserID), actor.Name, n.AssigneeID, formatTime(n.DueDate), n.Description,
		string(assay.RequestOpen), now, now, nullInt(n.AuditID), n.Reference, nullInt(n.SampleID), n.SampleItem).Scan(&id)
	if err != nil {
		return assay.EvidenceRequest{}, fmt.Errorf("insert evidence request: %w", err)
	}
	out, err := s.requestByID(tx.ctx, tx.Tx, id)
	if err != nil {
		return out, err
	}
	summary := fmt.Sprintf("Requested evidence for %s from %s by %s", n.ControlID, assignee.Name, n.DueDate.Format("2006-01-02"))
	if n.AuditID != 0 {
		summary += fmt.Sprintf(" (engagement %d", n.AuditID)
		if n.Reference != "" {
			summary += ", " + n.Reference
		}
		summary += ")"
	}
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence_request.create", objectType: "evidence_request", objectID: idText(id),
		summary: summary, after: out})
	return out, err
}

// checkRequestLinks checks a request's engagement, reference and sampled
// item inside tx.
func (s *orgStore) checkRequestLinks(tx *Tx, n assay.NewEvidenceRequest) error {
	if n.AuditID == 0 {
		return nil
	}
	var one int
	err := tx.queryRow(`SELECT 1 FROM audits WHERE org_id = ? AND id = ?`, s.orgID, n.AuditID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.Invalid("audit_id", "No engagement %d in this organisation.", n.AuditID)
	} else if err != nil {
		return fmt.Errorf("engagement of request: %w", err)
	}
	if n.Reference != "" {
		err := tx.queryRow(`SELECT 1 FROM evidence_requests WHERE org_id = ? AND audit_id = ? AND reference = ?`, s.orgID, n.AuditID, n.Reference).Scan(&one)
		if err == nil {
			return assay.Invalid("reference", "Engagement %d already has a request %s.", n.AuditID, n.Reference)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("request reference: %w", err)
		}
	}
	if n.SampleID != 0 {
		var keys string
		err := tx.queryRow(`SELECT keys_json FROM audit_samples WHERE org_id = ? AND audit_id = ? AND id = ?`, s.orgID, n.AuditID, n.SampleID).Scan(&keys)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Invalid("sample_id", "Engagement %d has no sample %d.", n.AuditID, n.SampleID)
		} else if err != nil {
			return fmt.Errorf("sample of request: %w", err)
		}
		var drawn []string
		if err := json.Unmarshal([]byte(keys), &drawn); err != nil {
			return fmt.Errorf("sample %d keys: %w", n.SampleID, err)
		}
		if !slices.Contains(drawn, n.SampleItem) {
			return assay.Invalid("sample_item", "%s was not drawn in sample %d.", n.SampleItem, n.SampleID)
		}
	}
	return nil
}

// SubmitEvidenceRequest answers a request with evidence.
func (s *orgStore) SubmitEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, evidenceIDs []int64, note string) (assay.EvidenceRequest, error) {
	ids, note, err := submissionInput(evidenceIDs, note)
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	var out assay.EvidenceRequest
	err = s.db.update(ctx, func(tx *Tx) error {
		var err error
		out, err = s.submitRequest(tx, actor, id, ids, note)
		return err
	})
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	return out, nil
}

// submissionInput checks and de-duplicates a submission's evidence ids and
// trims its note, before any transaction.
func submissionInput(evidenceIDs []int64, note string) ([]int64, string, error) {
	note = strings.TrimSpace(note)
	var ids []int64
	for _, e := range evidenceIDs {
		if e <= 0 {
			return nil, "", assay.Invalid("evidence_ids", "%d is not an evidence id.", e)
		}
		if !slices.Contains(ids, e) {
			ids = append(ids, e)
		}
	}
	if len(ids) == 0 {
		return nil, "", assay.Invalid("evidence_ids", "Submit at least one evidence item.")
	}
	if len(ids) > assay.MaxEvidenceControls {
		return nil, "", assay.Invalid("evidence_ids", "Submit at most %d evidence items at once.", assay.MaxEvidenceControls)
	}
	if len(note) > assay.MaxControlText {
		return nil, "", assay.Invalid("response", "The note is longer than %d characters.", assay.MaxControlText)
	}
	return ids, note, nil
}

// submitRequest is SubmitEvidenceRequest inside a transaction, with its
// input checked by submissionInput.
func (s *orgStore) submitRequest(tx *Tx, actor assay.Actor, id int64, ids []int64, note string) (assay.EvidenceRequest, error) {
	before, err := s.requestByID(tx.ctx, tx.Tx, id)
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	if !before.Status.AwaitsAnswer() {
		return assay.EvidenceRequest{}, assay.Errorf(assay.ECONFLICT, "Evidence request %d is %s; only open or returned requests take new evidence.", id, before.Status)
	}
	items := make([]assay.Evidence, 0, len(ids))
	for _, eid := range ids {
		e, err := s.evidenceByID(tx.ctx, tx.Tx, eid)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.EvidenceRequest{}, assay.Invalid("evidence_ids", "No evidence %d in this organisation.", eid)
		} else if err != nil {
			return assay.EvidenceRequest{}, err
		}
		if e.SupersededBy != 0 {
			return assay.EvidenceRequest{}, assay.Invalid("evidence_ids", "Evidence %d is superseded by %d; submit the newer item.", e.ID, e.SupersededBy)
		}
		items = append(items, e)
	}
	for _, e := range items {
		if !slices.Contains(e.Controls, before.ControlID) {
			if err := tx.attachEvidence(s.orgID, e.ID, before.ControlID); err != nil {
				return assay.EvidenceRequest{}, err
			}
			after := e
			after.Controls = append(slices.Clone(e.Controls), before.ControlID)
			slices.Sort(after.Controls)
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence.controls", objectType: "evidence", objectID: idText(e.ID),
				summary: fmt.Sprintf("Evidence %d %q attached to %s (answer to request %d)", e.ID, e.Title, before.ControlID, id),
				before:  linksOf(e), after: linksOf(after)}); err != nil {
				return assay.EvidenceRequest{}, err
			}
		}
		var one int
		err := tx.queryRow(`SELECT 1 FROM evidence_request_items WHERE org_id = ? AND request_id = ? AND evidence_id = ?`, s.orgID, id, e.ID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			if _, err := tx.exec(`INSERT INTO evidence_request_items (org_id, request_id, evidence_id, submitted_at) VALUES (?, ?, ?, ?)`,
				s.orgID, id, e.ID, formatTime(tx.now)); err != nil {
				return assay.EvidenceRequest{}, fmt.Errorf("submit evidence %d to request %d: %w", e.ID, id, err)
			}
		} else if err != nil {
			return assay.EvidenceRequest{}, err
		}
	}
	now := formatTime(tx.now)
	if _, err := tx.exec(`UPDATE evidence_requests SET status = ?, response = ?, reason = '', decided_by = NULL, decided_by_name = '',
		decided_at = NULL, submitted_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		string(assay.RequestSubmitted), note, now, now, s.orgID, id); err != nil {
		return assay.EvidenceRequest{}, fmt.Errorf("submit evidence request %d: %w", id, err)
	}
	out, err := s.requestByID(tx.ctx, tx.Tx, id)
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	var titles []string
	for _, e := range items {
		titles = append(titles, idText(e.ID))
	}
	if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence_request.submit", objectType: "evidence_request", objectID: idText(id),
		summary: fmt.Sprintf("Answered evidence request %d for %s with evidence %s", id, before.ControlID, strings.Join(titles, ", ")),
		before:  before, after: out}); err != nil {
		return assay.EvidenceRequest{}, err
	}
	return out, nil
}

// DecideEvidenceRequest accepts a submitted request or returns it for more.
func (s *orgStore) DecideEvidenceRequest(ctx context.Context, actor assay.Actor, id int64, accept bool, reason string) (assay.EvidenceRequest, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return assay.EvidenceRequest{}, assay.Invalid("reason", "Give the reason for the decision.")
	}
	if len(reason) > assay.MaxControlText {
		return assay.EvidenceRequest{}, assay.Invalid("reason", "The reason is longer than %d characters.", assay.MaxControlText)
	}
	status, verb, done := assay.RequestReturned, "return", "returned"
	if accept {
		status, verb, done = assay.RequestAccepted, "accept", "accepted"
	}
	var out assay.EvidenceRequest
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.requestByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status != assay.RequestSubmitted {
			return assay.Errorf(assay.ECONFLICT, "Evidence request %d is %s; only a submitted request can be accepted or returned.", id, before.Status)
		}
		now := formatTime(tx.now)
		if _, err := tx.exec(`UPDATE evidence_requests SET status = ?, reason = ?, decided_by = ?, decided_by_name = ?, decided_at = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, string(status), reason, nullInt(actor.UserID), actor.Name, now, now, s.orgID, id); err != nil {
			return fmt.Errorf("%s evidence request %d: %w", verb, id, err)
		}
		if out, err = s.requestByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence_request." + verb, objectType: "evidence_request", objectID: idText(id),
			summary: fmt.Sprintf("Evidence request %d for %s %s: %s", id, before.ControlID, done, reason), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.EvidenceRequest{}, err
	}
	return out, nil
}
