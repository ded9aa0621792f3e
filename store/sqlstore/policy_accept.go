package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/assay-platform/assay"
)

const acceptanceColumns = `a.id, a.policy_id, p.title, a.version_id, v.major, v.minor, a.person_id, pe.name, pe.email, a.accepted_at, a.by_user_id, a.by_name`

const acceptanceFrom = ` FROM policy_acceptances a
	JOIN policies p ON p.org_id = a.org_id AND p.id = a.policy_id
	JOIN policy_versions v ON v.org_id = a.org_id AND v.id = a.version_id
	JOIN people pe ON pe.org_id = a.org_id AND pe.id = a.person_id `

func scanAcceptance(row interface{ Scan(...any) error }) (assay.PolicyAcceptance, error) {
	var a assay.PolicyAcceptance
	var n assay.PolicyNumber
	var at string
	err := row.Scan(&a.ID, &a.PolicyID, &a.PolicyTitle, &a.VersionID, &n.Major, &n.Minor, &a.PersonID, &a.PersonName, &a.PersonEmail, &at, &a.ByUserID, &a.ByName)
	if errors.Is(err, sql.ErrNoRows) {
		return a, assay.Errorf(assay.ENOTFOUND, "Acceptance not found.")
	} else if err != nil {
		return a, fmt.Errorf("scan acceptance: %w", err)
	}
	a.Version = n.String()
	a.AcceptedAt, err = parseTime(at)
	return a, err
}

func (s *orgStore) acceptances(ctx context.Context, q rowQuerier, where string, args ...any) ([]assay.PolicyAcceptance, error) {
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT `+acceptanceColumns+acceptanceFrom+` WHERE a.org_id = ?`+where+` ORDER BY a.accepted_at DESC, a.id DESC`),
		append([]any{s.orgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list acceptances: %w", err)
	}
	defer rows.Close()
	out := []assay.PolicyAcceptance{}
	for rows.Next() {
		a, err := scanAcceptance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PolicyAcceptances lists acceptances of one policy (0: all), newest first.
func (s *orgStore) PolicyAcceptances(ctx context.Context, policyID int64) ([]assay.PolicyAcceptance, error) {
	if policyID == 0 {
		return s.acceptances(ctx, s.db.read, "")
	}
	if _, err := s.Policy(ctx, policyID); err != nil {
		return nil, err
	}
	return s.acceptances(ctx, s.db.read, ` AND a.policy_id = ?`, policyID)
}

// PolicyAcceptancesPage lists acceptances by id, a page at a time.
func (s *orgStore) PolicyAcceptancesPage(ctx context.Context, policyID, after int64, limit int) ([]assay.PolicyAcceptance, bool, error) {
	limit = max(1, min(limit, 10000))
	where, args := ` AND a.id > ?`, []any{s.orgID, after}
	if policyID != 0 {
		if _, err := s.Policy(ctx, policyID); err != nil {
			return nil, false, err
		}
		where += ` AND a.policy_id = ?`
		args = append(args, policyID)
	}
	rows, err := s.db.query(ctx, `SELECT `+acceptanceColumns+acceptanceFrom+` WHERE a.org_id = ?`+where+` ORDER BY a.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("list acceptances: %w", err)
	}
	defer rows.Close()
	out := []assay.PolicyAcceptance{}
	for rows.Next() {
		a, err := scanAcceptance(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// AcceptPolicy records a person's acceptance of a published version.
func (s *orgStore) AcceptPolicy(ctx context.Context, actor assay.Actor, personID, versionID int64) (assay.PolicyAcceptance, error) {
	person, err := s.Person(ctx, personID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	if person.Status != assay.PersonActive {
		return assay.PolicyAcceptance{}, assay.Errorf(assay.ECONFLICT, "%s is %s; only active people accept policies.", person.Name, person.Status)
	}
	var out assay.PolicyAcceptance
	err = s.db.update(ctx, func(tx *Tx) error {
		out, err = s.acceptPolicy(tx, actor, person, versionID)
		return err
	})
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	return out, nil
}

// acceptPolicy is AcceptPolicy inside a transaction, for an active person.
func (s *orgStore) acceptPolicy(tx *Tx, actor assay.Actor, person assay.Person, versionID int64) (assay.PolicyAcceptance, error) {
	personID := person.ID
	v, err := s.versionByID(tx.ctx, tx.Tx, versionID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	if v.Status != assay.PolicyPublished {
		return assay.PolicyAcceptance{}, assay.Errorf(assay.ECONFLICT, "Version %s of %q is %s; only the published version can be accepted.", v.Version, v.PolicyTitle, statusText(v.Status))
	}
	list, err := s.policies(tx.ctx, tx.Tx, v.PolicyID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	if !list[0].AppliesTo.Matches(person.Department, string(person.EmploymentType)) {
		return assay.PolicyAcceptance{}, assay.Errorf(assay.EFORBIDDEN, "%q does not apply to %s.", v.PolicyTitle, person.Name)
	}
	prior, err := s.acceptances(tx.ctx, tx.Tx, ` AND a.version_id = ? AND a.person_id = ?`, versionID, personID)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	if len(prior) > 0 {
		return prior[0], nil // accepting twice changes nothing
	}
	var id int64
	err = tx.queryRow(`INSERT INTO policy_acceptances (org_id, policy_id, version_id, person_id, accepted_at, by_user_id, by_name)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, v.PolicyID, versionID, personID, formatTime(tx.now), actor.UserID, actor.Name).Scan(&id)
	if err != nil {
		return assay.PolicyAcceptance{}, fmt.Errorf("insert acceptance: %w", err)
	}
	got, err := s.acceptances(tx.ctx, tx.Tx, ` AND a.id = ?`, id)
	if err != nil {
		return assay.PolicyAcceptance{}, err
	}
	out := got[0]
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "policy.accept", objectType: "policy_version", objectID: idText(versionID),
		summary: fmt.Sprintf("%s accepted %q version %s", person.Name, v.PolicyTitle, v.Version), after: out})
	return out, err
}

// AcceptedMajors reads every acceptance as (person, policy, major): see
// store.PolicyStore.
func (s *orgStore) AcceptedMajors(ctx context.Context) (assay.AcceptedMajors, error) {
	return s.allAcceptedMajors(ctx)
}

// acceptedMajors reads the acceptances matching where.
// majorsCache keeps each organisation's acceptance majors with how many
// acceptances they were read from. Acceptances are append-only (the schema
// refuses updates and deletes) and a version's major never changes, so the
// same count means the same set.
type majorsCache struct {
	mu   sync.Mutex
	orgs map[int64]majorsEntry
}

type majorsEntry struct {
	count int64
	m     assay.AcceptedMajors
}

// allAcceptedMajors is acceptedMajors of every acceptance, kept until the
// count of acceptances moves. The map is shared: callers only read it
// (store.PolicyStore.AcceptedMajors). The count is read before the rows,
// so what is kept holds at least what was counted.
func (s *orgStore) allAcceptedMajors(ctx context.Context) (assay.AcceptedMajors, error) {
	var n int64
	if err := s.db.queryRow(ctx, `SELECT COUNT(*) FROM policy_acceptances WHERE org_id = ?`, s.orgID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count acceptances: %w", err)
	}
	c := &s.db.majors
	c.mu.Lock()
	e, ok := c.orgs[s.orgID]
	c.mu.Unlock()
	if ok && e.count == n {
		return e.m, nil
	}
	m, err := s.acceptedMajors(ctx, "")
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.orgs == nil {
		c.orgs = map[int64]majorsEntry{}
	}
	c.orgs[s.orgID] = majorsEntry{count: n, m: m}
	c.mu.Unlock()
	return m, nil
}

// The versions' majors are read first (a few rows), so the acceptances,
// thousands, are read without a join.
func (s *orgStore) acceptedMajors(ctx context.Context, where string, args ...any) (assay.AcceptedMajors, error) {
	vrows, err := s.db.query(ctx, `SELECT id, major FROM policy_versions WHERE org_id = ?`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("read versions: %w", err)
	}
	majors := map[int64]int{}
	for vrows.Next() {
		var id int64
		var major int
		if err := vrows.Scan(&id, &major); err != nil {
			vrows.Close()
			return nil, fmt.Errorf("scan version: %w", err)
		}
		majors[id] = major
	}
	if err := vrows.Close(); err != nil {
		return nil, fmt.Errorf("read versions: %w", err)
	}
	rows, err := s.db.query(ctx, `SELECT a.person_id, a.policy_id, a.version_id FROM policy_acceptances a WHERE a.org_id = ?`+where, append([]any{s.orgID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read acceptances: %w", err)
	}
	defer rows.Close()
	out := assay.AcceptedMajors{}
	for rows.Next() {
		var person, policy, version int64
		if err := rows.Scan(&person, &policy, &version); err != nil {
			return nil, fmt.Errorf("scan acceptance: %w", err)
		}
		if major, ok := majors[version]; ok {
			out.Add(person, policy, major)
		}
	}
	return out, rows.Err()
}

// PoliciesToAccept lists the published versions the person still has to
// accept: those that apply to them whose major version they have not
// accepted (any minor version of the same major counts).
func (s *orgStore) PoliciesToAccept(ctx context.Context, personID int64) ([]assay.PolicyVersion, error) {
	person, err := s.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	if person.Status != assay.PersonActive {
		return []assay.PolicyVersion{}, nil
	}
	policies, err := s.Policies(ctx)
	if err != nil {
		return nil, err
	}
	accepted, err := s.acceptedMajors(ctx, ` AND a.person_id = ?`, personID)
	if err != nil {
		return nil, err
	}
	return assay.PoliciesToAcceptFor(person, policies, accepted), nil
}

// PolicyFigures counts acceptances of each published policy among the
// active people it applies to.
func (s *orgStore) PolicyFigures(ctx context.Context) ([]assay.PolicyFigure, error) {
	policies, err := s.Policies(ctx)
	if err != nil {
		return nil, err
	}
	people, err := s.People(ctx)
	if err != nil {
		return nil, err
	}
	accepted, err := s.allAcceptedMajors(ctx)
	if err != nil {
		return nil, err
	}
	return assay.PolicyFiguresFor(policies, people, accepted), nil
}
