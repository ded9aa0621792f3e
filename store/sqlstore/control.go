package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/assay-platform/assay"
)

func (db *DB) knownCriterion(id string) bool { _, ok := db.criteria[id]; return ok }

const controlColumns = `c.id, c.family, c.name, c.description, c.evidence, c.owner_role, c.frequency, c.kind, c.automation, c.automation_note,
	c.custom, c.status, c.justification, c.owner_id, COALESCE(u.name, ''), c.notes, c.created_at, c.updated_at`

const controlFrom = ` FROM controls c LEFT JOIN users u ON u.id = c.owner_id AND u.org_id = c.org_id`

func scanControl(row interface{ Scan(...any) error }) (assay.Control, error) {
	var c assay.Control
	var custom int
	var owner sql.NullInt64
	var created, updated string
	err := row.Scan(&c.ID, &c.Family, &c.Name, &c.Description, &c.Evidence, &c.OwnerRole, &c.Frequency, &c.Kind, &c.Automation, &c.AutomationNote,
		&custom, &c.Status, &c.Justification, &owner, &c.OwnerName, &c.Notes, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, assay.Errorf(assay.ENOTFOUND, "Control not found.")
		}
		return c, fmt.Errorf("scan control: %w", err)
	}
	c.Custom = custom != 0
	c.OwnerID = owner.Int64
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return c, err
	}
	c.Criteria = []string{}
	return c, nil
}

// Controls lists the organisation's controls, ordered by id.
func (s *orgStore) Controls(ctx context.Context, f assay.ControlFilter) ([]assay.Control, error) {
	q := `SELECT ` + controlColumns + controlFrom + ` WHERE c.org_id = ?`
	args := []any{s.orgID}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, assay.Invalid("status", "Unknown status %q.", f.Status)
		}
		q += ` AND c.status = ?`
		args = append(args, string(f.Status))
	}
	switch {
	case f.OwnerID == -1:
		q += ` AND c.owner_id IS NULL`
	case f.OwnerID > 0:
		q += ` AND c.owner_id = ?`
		args = append(args, f.OwnerID)
	}
	var crit []string
	if f.Criterion != "" {
		id := strings.ToUpper(strings.TrimSpace(f.Criterion))
		if !s.db.knownCriterion(id) {
			return nil, assay.Invalid("criterion", "Unknown criterion %q.", f.Criterion)
		}
		crit = []string{id}
	}
	if f.Category != "" {
		ids, ok := s.db.byCategory[f.Category]
		if !ok {
			return nil, assay.Invalid("category", "Unknown category %q.", f.Category)
		}
		if crit != nil {
			if s.db.criteria[crit[0]].Category != f.Category {
				return []assay.Control{}, nil
			}
		} else {
			crit = ids
		}
	}
	if crit != nil {
		q += ` AND EXISTS (SELECT 1 FROM control_criteria cc WHERE cc.org_id = c.org_id AND cc.control_id = c.id AND cc.criterion_id IN (` + placeholders(len(crit)) + `))`
		for _, id := range crit {
			args = append(args, id)
		}
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		if len(t) > 200 {
			return nil, assay.Invalid("q", "Search text is longer than 200 characters.")
		}
		// search_text is folded to lower case in Go when the control is
		// written, so matching is the same, Unicode included, on both backends.
		like := "%" + escapeLike(foldSearch(t)) + "%"
		q += ` AND (c.search_text LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM control_criteria cq WHERE cq.org_id = c.org_id AND cq.control_id = c.id AND cq.criterion_id = ?))`
		args = append(args, like, strings.ToUpper(t))
	}
	q += ` ORDER BY c.id ` + s.db.dialect.Binary()
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list controls: %w", err)
	}
	var out []assay.Control
	idx := map[string]int{}
	for rows.Next() {
		c, err := scanControl(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, fmt.Errorf("list controls: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return []assay.Control{}, nil
	}
	// Criteria of every listed control, in one query.
	rows, err = s.db.query(ctx, `SELECT control_id, criterion_id FROM control_criteria WHERE org_id = ?`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list control criteria: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, crid string
		if err := rows.Scan(&cid, &crid); err != nil {
			return nil, fmt.Errorf("scan control criteria: %w", err)
		}
		if i, ok := idx[cid]; ok {
			out[i].Criteria = append(out[i].Criteria, crid)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		s.db.sortCriteria(out[i].Criteria)
	}
	return out, nil
}

// sortCriteria orders criterion ids as the catalog lists them.
func (db *DB) sortCriteria(ids []string) {
	order := func(id string) string {
		c, ok := db.criteria[id]
		if !ok {
			return "~" + id
		}
		// Series then number, with numbers padded so CC1.10 follows CC1.9.
		parts := strings.SplitN(c.ID, ".", 2)
		catIdx := 0
		for i, cat := range assay.Categories {
			if cat == c.Category {
				catIdx = i
			}
		}
		num := ""
		if len(parts) == 2 {
			num = fmt.Sprintf("%03s", parts[1])
		}
		return fmt.Sprintf("%d%-6s%s", catIdx, parts[0], num)
	}
	sort.SliceStable(ids, func(i, j int) bool { return order(ids[i]) < order(ids[j]) })
}

// Control returns one control with its criteria.
func (s *orgStore) Control(ctx context.Context, id string) (assay.Control, error) {
	c, err := scanControl(s.db.queryRow(ctx, `SELECT `+controlColumns+controlFrom+` WHERE c.org_id = ? AND c.id = ?`, s.orgID, id))
	if err != nil {
		return c, err
	}
	c.Criteria, err = s.criteriaOf(ctx, s.db.read, id)
	return c, err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *orgStore) criteriaOf(ctx context.Context, q querier, id string) ([]string, error) {
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT criterion_id FROM control_criteria WHERE org_id = ? AND control_id = ?`), s.orgID, id)
	if err != nil {
		return nil, fmt.Errorf("control %s criteria: %w", id, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	s.db.sortCriteria(out)
	return out, rows.Err()
}

func (tx *Tx) control(s *orgStore, id string) (assay.Control, error) {
	c, err := scanControl(tx.queryRow(`SELECT `+controlColumns+controlFrom+` WHERE c.org_id = ? AND c.id = ?`, s.orgID, id))
	if err != nil {
		return c, err
	}
	c.Criteria, err = s.criteriaOf(tx.ctx, tx.Tx, id)
	return c, err
}

func (tx *Tx) insertControl(orgID int64, c assay.Control) (assay.Control, error) {
	now := formatTime(tx.now)
	_, err := tx.exec(`INSERT INTO controls (org_id, id, family, name, description, evidence, owner_role, frequency, kind, automation, automation_note,
		custom, status, justification, owner_id, notes, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		orgID, c.ID, c.Family, c.Name, c.Description, c.Evidence, c.OwnerRole, c.Frequency, c.Kind, c.Automation, c.AutomationNote,
		boolInt(c.Custom), string(c.Status), c.Justification, nullInt(c.OwnerID), c.Notes, searchText(c), now, now)
	if err != nil {
		if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
			return c, assay.Errorf(assay.ECONFLICT, "A control with id %s already exists.", c.ID)
		}
		return c, fmt.Errorf("insert control %s: %w", c.ID, err)
	}
	if err := tx.setCriteria(orgID, c.ID, c.Criteria); err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	return c, nil
}

func (tx *Tx) setCriteria(orgID int64, controlID string, ids []string) error {
	if _, err := tx.exec(`DELETE FROM control_criteria WHERE org_id = ? AND control_id = ?`, orgID, controlID); err != nil {
		return fmt.Errorf("clear criteria of %s: %w", controlID, err)
	}
	for _, id := range ids {
		if _, err := tx.exec(`INSERT INTO control_criteria (org_id, control_id, criterion_id) VALUES (?, ?, ?)`, orgID, controlID, id); err != nil {
			return fmt.Errorf("map %s to %s: %w", controlID, id, err)
		}
	}
	return nil
}

// checkOwner makes sure an owner belongs to this organisation and can own.
func (tx *Tx) checkOwner(orgID, userID int64) (string, error) {
	if userID == 0 {
		return "", nil
	}
	var name string
	var disabled int
	err := tx.queryRow(`SELECT name, disabled FROM users WHERE org_id = ? AND id = ?`, orgID, userID).Scan(&name, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return "", assay.Invalid("owner_id", "No user %d in this organisation.", userID)
	} else if err != nil {
		return "", fmt.Errorf("owner %d: %w", userID, err)
	}
	if disabled != 0 {
		return "", assay.Invalid("owner_id", "User %s is disabled and cannot own controls.", name)
	}
	return name, nil
}

// CreateControl adds a control the organisation writes itself.
func (s *orgStore) CreateControl(ctx context.Context, actor assay.Actor, c assay.Control) (assay.Control, error) {
	c.Criteria = normalize(c.Criteria)
	if c.Status == "" {
		c.Status = assay.StatusNotStarted
	}
	if err := c.Validate(s.db.knownCriterion); err != nil {
		return c, err
	}
	var out assay.Control
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		name, err := tx.checkOwner(s.orgID, c.OwnerID)
		if err != nil {
			return err
		}
		c.OwnerName = name
		if out, err = tx.insertControl(s.orgID, c); err != nil {
			return err
		}
		s.db.sortCriteria(out.Criteria)
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "control.create", objectType: "control", objectID: c.ID,
			summary: "Added control " + c.ID + " " + c.Name, after: out})
		return err
	})
	return out, err
}

// UpdateControl applies a patch to a control.
func (s *orgStore) UpdateControl(ctx context.Context, actor assay.Actor, id string, p assay.ControlPatch) (assay.Control, error) {
	if p.Empty() {
		return assay.Control{}, assay.Invalid("", "Nothing to change: send at least one field.")
	}
	var after assay.Control
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		after, err = s.updateControl(tx, actor, id, p)
		return err
	})
	if err != nil {
		return assay.Control{}, err
	}
	return after, nil
}

// SetControlOwners gives each of the controls ids the owner ownerID (0:
// nobody) in one transaction, one ledgered control update per control
// whose owner changes. An unknown id changes nothing.
func (s *orgStore) SetControlOwners(ctx context.Context, actor assay.Actor, ids []string, ownerID int64) ([]assay.Control, error) {
	if len(ids) == 0 {
		return nil, assay.Invalid("ids", "Choose at least one control.")
	}
	var out []assay.Control
	err := s.db.update(ctx, func(tx *Tx) error {
		out = out[:0]
		for _, id := range normalize(ids) {
			before, err := tx.control(s, id)
			if err != nil {
				return err
			}
			if before.OwnerID == ownerID {
				out = append(out, before)
				continue
			}
			after, err := s.updateControl(tx, actor, id, assay.ControlPatch{OwnerID: &ownerID})
			if err != nil {
				return err
			}
			out = append(out, after)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateControl applies a patch to a control inside tx and ledgers it.
func (s *orgStore) updateControl(tx *Tx, actor assay.Actor, id string, p assay.ControlPatch) (assay.Control, error) {
	before, err := tx.control(s, id)
	if err != nil {
		return before, err
	}
	after := p.Apply(before)
	if err := after.Validate(s.db.knownCriterion); err != nil {
		return after, err
	}
	if !before.Custom && (p.Name != nil && after.Name != before.Name) {
		// Library controls keep their name so that reports match the library.
		return after, assay.Invalid("name", "Library controls keep their name; add a custom control instead.")
	}
	if after.OwnerID != before.OwnerID {
		if after.OwnerName, err = tx.checkOwner(s.orgID, after.OwnerID); err != nil {
			return after, err
		}
	}
	_, err = tx.exec(`UPDATE controls SET name = ?, description = ?, evidence = ?, status = ?, justification = ?, owner_id = ?, notes = ?,
		frequency = ?, kind = ?, search_text = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		after.Name, after.Description, after.Evidence, string(after.Status), after.Justification, nullInt(after.OwnerID), after.Notes,
		after.Frequency, after.Kind, searchText(after), formatTime(tx.now), s.orgID, id)
	if err != nil {
		return after, fmt.Errorf("update control %s: %w", id, err)
	}
	if p.Criteria != nil {
		s.db.sortCriteria(after.Criteria)
		if err := tx.setCriteria(s.orgID, id, after.Criteria); err != nil {
			return after, err
		}
	}
	after.UpdatedAt = tx.now
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "control.update", objectType: "control", objectID: id,
		summary: describeControlChange(before, after), before: before, after: after})
	return after, err
}

func describeControlChange(before, after assay.Control) string {
	var parts []string
	if before.Status != after.Status {
		parts = append(parts, fmt.Sprintf("status %s → %s", before.Status.Label(), after.Status.Label()))
	}
	if before.OwnerID != after.OwnerID {
		to := after.OwnerName
		if to == "" {
			to = "nobody"
		}
		parts = append(parts, "owner → "+to)
	}
	if strings.Join(before.Criteria, ",") != strings.Join(after.Criteria, ",") {
		parts = append(parts, "criteria → "+strings.Join(after.Criteria, ", "))
	}
	if before.Notes != after.Notes {
		parts = append(parts, "notes edited")
	}
	if before.Justification != after.Justification && after.Justification != "" {
		parts = append(parts, "justification edited")
	}
	if before.Name != after.Name || before.Description != after.Description || before.Evidence != after.Evidence ||
		before.Frequency != after.Frequency || before.Kind != after.Kind {
		parts = append(parts, "details edited")
	}
	if len(parts) == 0 {
		parts = append(parts, "saved without changes")
	}
	return after.ID + ": " + strings.Join(parts, "; ")
}

func normalize(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// searchText is what the text filter matches: id, family, name and
// description, folded to lower case.
func searchText(c assay.Control) string {
	return foldSearch(c.ID + "\n" + c.Family + "\n" + c.Name + "\n" + c.Description)
}

func foldSearch(s string) string { return strings.ToLower(s) }
