package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// rowQuerier is a read pool or a transaction: reads shared by both paths.
type rowQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const evidenceColumns = `e.id, e.kind, e.title, e.description, e.sha256, e.size, e.media_type, e.filename, e.url, e.note_text,
	e.period_start, e.period_end, e.valid_days, e.expires_at, e.collected_at, e.created_by, e.created_by_name, e.created_at,
	e.superseded_by, (SELECT MIN(o.id) FROM evidence_items o WHERE o.org_id = e.org_id AND o.superseded_by = e.id)`

func scanEvidence(row interface{ Scan(...any) error }) (assay.Evidence, error) {
	var e assay.Evidence
	var digest, pstart, pend sql.NullString
	var expires, collected, created string
	var createdBy, supBy, sups sql.NullInt64
	err := row.Scan(&e.ID, &e.Kind, &e.Title, &e.Description, &digest, &e.Size, &e.MediaType, &e.Filename, &e.URL, &e.NoteText,
		&pstart, &pend, &e.ValidDays, &expires, &collected, &createdBy, &e.CreatedByName, &created, &supBy, &sups)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, assay.Errorf(assay.ENOTFOUND, "Evidence not found.")
		}
		return e, fmt.Errorf("scan evidence: %w", err)
	}
	e.SHA256 = digest.String
	e.CreatedBy, e.SupersededBy, e.Supersedes = createdBy.Int64, supBy.Int64, sups.Int64
	if e.PeriodStart, err = parseTimePtr(pstart); err != nil {
		return e, err
	}
	if e.PeriodEnd, err = parseTimePtr(pend); err != nil {
		return e, err
	}
	for _, p := range []struct {
		dst *time.Time
		src string
	}{{&e.ExpiresAt, expires}, {&e.CollectedAt, collected}, {&e.CreatedAt, created}} {
		if *p.dst, err = parseTime(p.src); err != nil {
			return e, err
		}
	}
	e.Controls = []string{}
	return e, nil
}

// evidenceByID reads one item with its controls.
func (s *orgStore) evidenceByID(ctx context.Context, q rowQuerier, id int64) (assay.Evidence, error) {
	e, err := scanEvidence(q.QueryRowContext(ctx, s.db.q(`SELECT `+evidenceColumns+` FROM evidence_items e WHERE e.org_id = ? AND e.id = ?`), s.orgID, id))
	if err != nil {
		return e, err
	}
	items := []assay.Evidence{e}
	if err := s.loadEvidenceControls(ctx, q, items); err != nil {
		return e, err
	}
	return items[0], nil
}

// loadEvidenceControls fills in the controls of each item.
func (s *orgStore) loadEvidenceControls(ctx context.Context, q rowQuerier, items []assay.Evidence) error {
	if len(items) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(items))
	args := []any{s.orgID}
	for i, e := range items {
		idx[e.ID] = i
		args = append(args, e.ID)
	}
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT evidence_id, control_id FROM evidence_controls
		WHERE org_id = ? AND evidence_id IN (`+placeholders(len(items))+`)`), args...)
	if err != nil {
		return fmt.Errorf("evidence controls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var cid string
		if err := rows.Scan(&id, &cid); err != nil {
			return fmt.Errorf("scan evidence controls: %w", err)
		}
		if i, ok := idx[id]; ok {
			items[i].Controls = append(items[i].Controls, cid)
		}
	}
	for i := range items {
		slices.Sort(items[i].Controls)
	}
	return rows.Err()
}

// Evidence returns one item.
func (s *orgStore) Evidence(ctx context.Context, id int64) (assay.Evidence, error) {
	return s.evidenceByID(ctx, s.db.read, id)
}

// EvidenceList lists evidence, newest first (soonest to expire first when
// listing what is expiring or expired).
func (s *orgStore) EvidenceList(ctx context.Context, f assay.EvidenceFilter) ([]assay.Evidence, error) {
	q := `SELECT ` + evidenceColumns + ` FROM evidence_items e WHERE e.org_id = ?`
	args := []any{s.orgID}
	if f.Kind != "" {
		if !f.Kind.Valid() {
			return nil, assay.Invalid("kind", "Unknown evidence kind %q; use file, link or note.", f.Kind)
		}
		q += ` AND e.kind = ?`
		args = append(args, string(f.Kind))
	}
	if f.ControlID != "" {
		id := strings.ToUpper(strings.TrimSpace(f.ControlID))
		var one int
		err := s.db.queryRow(ctx, `SELECT 1 FROM controls WHERE org_id = ? AND id = ?`, s.orgID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, assay.Invalid("control", "No control %q in this organisation.", f.ControlID)
		} else if err != nil {
			return nil, fmt.Errorf("evidence filter control: %w", err)
		}
		q += ` AND EXISTS (SELECT 1 FROM evidence_controls ec WHERE ec.org_id = e.org_id AND ec.evidence_id = e.id AND ec.control_id = ?)`
		args = append(args, id)
	}
	now := s.db.clock.Now()
	order := ` ORDER BY e.id DESC`
	switch f.State {
	case "":
		q += ` AND e.superseded_by IS NULL`
	case assay.EvidenceCurrent:
		q += ` AND e.superseded_by IS NULL AND e.expires_at > ?`
		args = append(args, formatTime(now.Add(assay.EvidenceDueSoon)))
	case assay.EvidenceExpiring:
		q += ` AND e.superseded_by IS NULL AND e.expires_at > ? AND e.expires_at <= ?`
		args = append(args, formatTime(now), formatTime(now.Add(assay.EvidenceDueSoon)))
		order = ` ORDER BY e.expires_at, e.id`
	case assay.EvidenceExpired:
		q += ` AND e.superseded_by IS NULL AND e.expires_at <= ?`
		args = append(args, formatTime(now))
		order = ` ORDER BY e.expires_at DESC, e.id DESC`
	case assay.EvidenceSuperseded:
		q += ` AND e.superseded_by IS NOT NULL`
	case "all":
	default:
		return nil, assay.Invalid("state", "Unknown state %q; use current, expiring, expired, superseded or all.", f.State)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.db.query(ctx, q+order+fmt.Sprintf(` LIMIT %d`, limit), args...)
	if err != nil {
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	out := []assay.Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("list evidence: %w", err)
	}
	rows.Close()
	if err := s.loadEvidenceControls(ctx, s.db.read, out); err != nil {
		return nil, err
	}
	return out, nil
}

// requireControls fails with EINVALID (on field) unless every id is a
// control of the organisation.
func (tx *Tx) requireControls(orgID int64, field string, ids []string) error {
	for _, id := range ids {
		var one int
		err := tx.queryRow(`SELECT 1 FROM controls WHERE org_id = ? AND id = ?`, orgID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return assay.Invalid(field, "No control %s in this organisation.", id)
		} else if err != nil {
			return fmt.Errorf("control %s: %w", id, err)
		}
	}
	return nil
}

func (tx *Tx) attachEvidence(orgID, evidenceID int64, controlID string) error {
	_, err := tx.exec(`INSERT INTO evidence_controls (org_id, evidence_id, control_id, attached_at) VALUES (?, ?, ?, ?)`,
		orgID, evidenceID, controlID, formatTime(tx.now))
	if err != nil {
		return fmt.Errorf("attach evidence %d to %s: %w", evidenceID, controlID, err)
	}
	return nil
}

// CreateEvidence writes a new evidence item, and marks the item it
// supersedes, if any, in the same transaction.
func (s *orgStore) CreateEvidence(ctx context.Context, actor assay.Actor, n assay.NewEvidence) (assay.Evidence, error) {
	if err := n.Normalize(s.db.clock.Now()); err != nil {
		return assay.Evidence{}, err
	}
	var out assay.Evidence
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		out, err = s.createEvidence(tx, actor, n)
		return err
	})
	if err != nil {
		return assay.Evidence{}, err
	}
	return out, nil
}

// createEvidence is CreateEvidence inside a transaction; n is normalized.
func (s *orgStore) createEvidence(tx *Tx, actor assay.Actor, n assay.NewEvidence) (assay.Evidence, error) {
	if err := tx.requireOrg(s.orgID); err != nil {
		return assay.Evidence{}, err
	}
	var old assay.Evidence
	if n.Supersedes != 0 {
		var err error
		if old, err = s.evidenceByID(tx.ctx, tx.Tx, n.Supersedes); assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.Evidence{}, assay.Invalid("supersedes", "No evidence %d in this organisation.", n.Supersedes)
		} else if err != nil {
			return assay.Evidence{}, err
		}
		if old.SupersededBy != 0 {
			return assay.Evidence{}, assay.Errorf(assay.ECONFLICT, "Evidence %d is already superseded by %d; correct that one instead.", old.ID, old.SupersededBy)
		}
		if len(n.Controls) == 0 {
			n.Controls = old.Controls
		}
		if len(n.Controls) == 0 {
			return assay.Evidence{}, assay.Invalid("controls", "Attach the evidence to at least one control.")
		}
	}
	if err := tx.requireControls(s.orgID, "controls", n.Controls); err != nil {
		return assay.Evidence{}, err
	}
	e := assay.Evidence{Kind: n.Kind, Title: n.Title, Description: n.Description, SHA256: n.SHA256, Size: n.Size,
		MediaType: n.MediaType, Filename: n.Filename, URL: n.URL, NoteText: n.NoteText, PeriodStart: n.PeriodStart, PeriodEnd: n.PeriodEnd,
		ValidDays: n.ValidDays, CollectedAt: tx.now, CreatedBy: actor.UserID, CreatedByName: actor.Name, CreatedAt: tx.now,
		Supersedes: n.Supersedes, Controls: slices.Sorted(slices.Values(n.Controls))}
	if n.CollectedAt != nil {
		e.CollectedAt = *n.CollectedAt
	}
	e.ExpiresAt = assay.EvidenceExpiry(e.CollectedAt, e.PeriodEnd, e.ValidDays)
	var digest any
	if e.Kind == assay.EvidenceFile {
		digest = e.SHA256
	}
	err := tx.queryRow(`INSERT INTO evidence_items (org_id, kind, title, description, sha256, size, media_type, filename, url, note_text,
		period_start, period_end, valid_days, expires_at, collected_at, created_by, created_by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.orgID, string(e.Kind), e.Title, e.Description, digest, e.Size, e.MediaType, e.Filename, e.URL, e.NoteText,
		formatTimePtr(e.PeriodStart), formatTimePtr(e.PeriodEnd), e.ValidDays, formatTime(e.ExpiresAt), formatTime(e.CollectedAt),
		nullInt(e.CreatedBy), e.CreatedByName, formatTime(e.CreatedAt)).Scan(&e.ID)
	if err != nil {
		return assay.Evidence{}, fmt.Errorf("insert evidence: %w", err)
	}
	for _, c := range e.Controls {
		if err := tx.attachEvidence(s.orgID, e.ID, c); err != nil {
			return assay.Evidence{}, err
		}
	}
	if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence.create", objectType: "evidence", objectID: idText(e.ID),
		summary: describeNewEvidence(e), after: e}); err != nil {
		return assay.Evidence{}, err
	}
	if n.Supersedes != 0 {
		res, err := tx.exec(`UPDATE evidence_items SET superseded_by = ? WHERE org_id = ? AND id = ? AND superseded_by IS NULL`, e.ID, s.orgID, old.ID)
		if err != nil {
			return assay.Evidence{}, fmt.Errorf("supersede evidence %d: %w", old.ID, err)
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			return assay.Evidence{}, assay.Errorf(assay.ECONFLICT, "Evidence %d was superseded meanwhile; reload and try again.", old.ID)
		}
		after := old
		after.SupersededBy = e.ID
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence.supersede", objectType: "evidence", objectID: idText(old.ID),
			summary: fmt.Sprintf("Evidence %d %q superseded by %d", old.ID, old.Title, e.ID), before: old, after: after}); err != nil {
			return assay.Evidence{}, err
		}
	}
	return e, nil
}

func describeNewEvidence(e assay.Evidence) string {
	what := fmt.Sprintf("Added %s evidence %d %q", strings.ToLower(e.Kind.Label()), e.ID, e.Title)
	if e.SHA256 != "" {
		what += " (sha256 " + e.SHA256[:12] + "…)"
	}
	what += " to " + strings.Join(e.Controls, ", ")
	if e.Supersedes != 0 {
		what += fmt.Sprintf(", superseding %d", e.Supersedes)
	}
	return what
}

// evidenceLinks is what the audit trail records of an attach or detach.
type evidenceLinks struct {
	ID       int64              `json:"id"`
	Kind     assay.EvidenceKind `json:"kind"`
	Title    string             `json:"title"`
	SHA256   string             `json:"sha256,omitempty"`
	Controls []string           `json:"controls"`
}

func linksOf(e assay.Evidence) evidenceLinks {
	return evidenceLinks{ID: e.ID, Kind: e.Kind, Title: e.Title, SHA256: e.SHA256, Controls: slices.Clone(e.Controls)}
}

// UpdateEvidenceControls attaches and detaches an item.
func (s *orgStore) UpdateEvidenceControls(ctx context.Context, actor assay.Actor, id int64, attach, detach []string) (assay.Evidence, error) {
	attach, detach = normalize(attach), normalize(detach)
	if len(attach) == 0 && len(detach) == 0 {
		return assay.Evidence{}, assay.Invalid("controls", "Name a control to attach or detach.")
	}
	if len(attach)+len(detach) > assay.MaxEvidenceControls {
		return assay.Evidence{}, assay.Invalid("controls", "Change at most %d controls at once.", assay.MaxEvidenceControls)
	}
	for _, c := range attach {
		if slices.Contains(detach, c) {
			return assay.Evidence{}, assay.Invalid("controls", "Control %s is both attached and detached.", c)
		}
	}
	var out assay.Evidence
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.evidenceByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if err := tx.requireControls(s.orgID, "attach", attach); err != nil {
			return err
		}
		after := before
		after.Controls = slices.Clone(before.Controls)
		var added []string
		for _, c := range attach {
			if !slices.Contains(after.Controls, c) {
				added = append(added, c)
				after.Controls = append(after.Controls, c)
			}
		}
		if len(added) > 0 && before.SupersededBy != 0 {
			return assay.Errorf(assay.ECONFLICT, "Evidence %d is superseded by %d; attach the newer item instead.", before.ID, before.SupersededBy)
		}
		for _, c := range detach {
			i := slices.Index(after.Controls, c)
			if i < 0 {
				return assay.Invalid("detach", "Evidence %d is not attached to %s.", id, c)
			}
			after.Controls = slices.Delete(after.Controls, i, i+1)
		}
		if len(after.Controls) == 0 {
			return assay.Invalid("detach", "Evidence stays attached to at least one control; attach it elsewhere first, or supersede it.")
		}
		slices.Sort(after.Controls)
		out = after
		if len(added) == 0 && len(detach) == 0 {
			return nil // already so: nothing to write
		}
		for _, c := range added {
			if err := tx.attachEvidence(s.orgID, id, c); err != nil {
				return err
			}
		}
		for _, c := range detach {
			if _, err := tx.exec(`DELETE FROM evidence_controls WHERE org_id = ? AND evidence_id = ? AND control_id = ?`, s.orgID, id, c); err != nil {
				return fmt.Errorf("detach evidence %d from %s: %w", id, c, err)
			}
		}
		slices.Sort(added)
		slices.Sort(detach)
		var parts []string
		if len(added) > 0 {
			parts = append(parts, "attached to "+strings.Join(added, ", "))
		}
		if len(detach) > 0 {
			parts = append(parts, "detached from "+strings.Join(detach, ", "))
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "evidence.controls", objectType: "evidence", objectID: idText(id),
			summary: fmt.Sprintf("Evidence %d %q %s", id, before.Title, strings.Join(parts, "; ")), before: linksOf(before), after: linksOf(after)})
		return err
	})
	if err != nil {
		return assay.Evidence{}, err
	}
	return out, nil
}

// EvidenceByControl summarises the evidence in force per control.
func (s *orgStore) EvidenceByControl(ctx context.Context) ([]assay.ControlEvidence, error) {
	rows, err := s.db.query(ctx, `SELECT ec.control_id, e.id, e.title, e.expires_at
		FROM evidence_controls ec JOIN evidence_items e ON e.org_id = ec.org_id AND e.id = ec.evidence_id
		WHERE ec.org_id = ? AND e.superseded_by IS NULL`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("evidence by control: %w", err)
	}
	defer rows.Close()
	by := map[string]*assay.ControlEvidence{}
	for rows.Next() {
		var cid, title, expires string
		var id int64
		if err := rows.Scan(&cid, &id, &title, &expires); err != nil {
			return nil, fmt.Errorf("scan evidence by control: %w", err)
		}
		exp, err := parseTime(expires)
		if err != nil {
			return nil, err
		}
		c := by[cid]
		if c == nil {
			c = &assay.ControlEvidence{ControlID: cid}
			by[cid] = c
		}
		c.Items++
		if exp.After(c.LatestExpiry) || (exp.Equal(c.LatestExpiry) && id > c.LatestID) {
			c.LatestID, c.LatestTitle, c.LatestExpiry = id, title, exp
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]assay.ControlEvidence, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b assay.ControlEvidence) int { return strings.Compare(a.ControlID, b.ControlID) })
	return out, nil
}

func idText(n int64) string { return strconv.FormatInt(n, 10) }
