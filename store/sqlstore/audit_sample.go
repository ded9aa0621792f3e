package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// population lists a population through q as it stood at cutoffSeq: only
// activity entries up to that seq, and only evidence and people created up
// to that entry's time.
func (s *orgStore) population(ctx context.Context, q rowQuerier, a assay.Audit, kind, controlID string, cutoffSeq int64) (assay.Population, error) {
	if a.Type != assay.AuditType2 {
		return assay.Population{}, assay.Invalid("population", "Populations and samples are for Type II engagements.")
	}
	if !slices.Contains(assay.PopulationKinds, kind) {
		return assay.Population{}, assay.Invalid("population", "Unknown population %q; use evidence, control_changes, people, changes, check_runs or assay_access.", kind)
	}
	if assay.PopulationNeedsControl(kind) {
		if controlID == "" {
			return assay.Population{}, assay.Invalid("control", "The %s population is per control; name the control.", kind)
		}
		if !a.Scope.HasControl(controlID) {
			return assay.Population{}, assay.Invalid("control", "Control %q is not in the engagement's scope.", controlID)
		}
	} else {
		controlID = ""
	}
	var cutoffAt string
	err := q.QueryRowContext(ctx, s.db.q(`SELECT at FROM activity WHERE seq = ?`), cutoffSeq).Scan(&cutoffAt)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.Population{}, assay.Invalid("cutoff", "No activity entry #%d.", cutoffSeq)
	} else if err != nil {
		return assay.Population{}, fmt.Errorf("population cutoff: %w", err)
	}
	start, end := a.Window()
	ws, we := formatTime(start), formatTime(end)
	pop := assay.Population{Kind: kind, ControlID: controlID, CutoffSeq: cutoffSeq, Items: []assay.PopulationItem{}}
	add := func(key, label, at string) error {
		t, err := parseTime(at)
		if err != nil {
			return err
		}
		pop.Items = append(pop.Items, assay.PopulationItem{Key: key, Label: label, At: t})
		return nil
	}
	var query string
	var args []any
	switch kind {
	case assay.PopulationEvidence:
		query = `SELECT 'evidence:' || CAST(e.id AS TEXT), e.title, e.collected_at FROM evidence_items e
			JOIN evidence_controls ec ON ec.org_id = e.org_id AND ec.evidence_id = e.id AND ec.control_id = ?
			WHERE e.org_id = ? AND e.created_at <= ? AND ec.attached_at <= ?
			AND ((e.period_start IS NOT NULL AND e.period_start < ? AND e.period_end > ?) OR (e.period_start IS NULL AND e.collected_at >= ? AND e.collected_at < ?))`
		args = []any{controlID, s.orgID, cutoffAt, cutoffAt, we, formatTime(start.AddDate(0, 0, -1)), ws, we}
	case assay.PopulationControlChanges:
		query = `SELECT 'activity:' || CAST(seq AS TEXT), summary, at FROM activity
			WHERE org_id = ? AND object_type = 'control' AND object_id = ? AND seq <= ? AND at >= ? AND at < ?`
		args = []any{s.orgID, controlID, cutoffSeq, ws, we}
	case assay.PopulationPeople:
		query = `SELECT 'user:' || CAST(id AS TEXT), name, created_at FROM users WHERE org_id = ? AND engagement_id IS NULL AND created_at <= ? AND created_at >= ? AND created_at < ?`
		args = []any{s.orgID, cutoffAt, ws, we}
	case assay.PopulationChanges:
		query = `SELECT 'activity:' || CAST(seq AS TEXT), summary, at FROM activity WHERE org_id = ? AND seq <= ? AND at >= ? AND at < ?`
		args = []any{s.orgID, cutoffSeq, ws, we}
	case assay.PopulationAssayAccess:
		query = `SELECT 'user:' || CAST(u.id AS TEXT), u.name || ' <' || u.email || '>; role ' || u.role || '; last sign-in ' || COALESCE(u.last_login_at, 'never')
			|| '; MFA ' || CASE WHEN EXISTS (SELECT 1 FROM user_mfa m WHERE m.user_id = u.id) OR EXISTS (SELECT 1 FROM passkeys k WHERE k.user_id = u.id) THEN 'yes' ELSE 'no' END
			|| '; ' || CASE WHEN u.disabled <> 0 THEN 'deactivated ' || COALESCE(u.deactivated_at, '(time not recorded)') ELSE 'active' END, u.created_at
			FROM users u WHERE u.org_id = ? AND u.created_at <= ?`
		args = []any{s.orgID, cutoffAt}
	case assay.PopulationCheckRuns: // store/sqlstore/monitor_period.go
		query, args = checkRunsPopulation(s.orgID, cutoffSeq, ws, we)
	}
	rows, err := q.QueryContext(ctx, s.db.q(query), args...)
	if err != nil {
		return pop, fmt.Errorf("population %s: %w", kind, s.db.dialect.MapError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var key, label, at string
		if err := rows.Scan(&key, &label, &at); err != nil {
			return pop, fmt.Errorf("scan population: %w", err)
		}
		if err := add(key, label, at); err != nil {
			return pop, err
		}
	}
	if err := rows.Err(); err != nil {
		return pop, err
	}
	slices.SortFunc(pop.Items, func(x, y assay.PopulationItem) int { return compareStrings(x.Key, y.Key) })
	pop.Digest = assay.PopulationDigest(assay.SortedKeys(pop.Items))
	pop.Provenance = &assay.PopulationProvenance{Producer: "assay " + assay.Version, Definition: assay.PopulationDefinitions[kind],
		Query: strings.Join(strings.Fields(query), " "), Params: paramText(args), ProducedAt: s.db.clock.Now().UTC(),
		Count: len(pop.Items), Digest: pop.Digest, RowsDigest: assay.RowsDigest(pop.Items)}
	if kind == assay.PopulationCheckRuns {
		if pop.Provenance.Sources, err = s.populationSources(ctx, q, ws, we); err != nil {
			return pop, err
		}
	}
	return pop, nil
}

// paramText writes a query's parameters as text, in order.
func paramText(args []any) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = fmt.Sprint(a)
	}
	return out
}

// populationSources lists the monitoring sources with runs started in
// [ws, we), and the collector (built into this Assay) that read each.
func (s *orgStore) populationSources(ctx context.Context, q rowQuerier, ws, we string) ([]assay.PopulationSource, error) {
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT s.id, s.name, s.kind FROM monitor_sources s WHERE s.org_id = ?
		AND EXISTS (SELECT 1 FROM monitor_runs r WHERE r.org_id = s.org_id AND r.source_id = s.id AND r.started_at >= ? AND r.started_at < ?) ORDER BY s.id`), s.orgID, ws, we)
	if err != nil {
		return nil, fmt.Errorf("population sources: %w", err)
	}
	defer rows.Close()
	out := []assay.PopulationSource{}
	for rows.Next() {
		var src assay.PopulationSource
		if err := rows.Scan(&src.ID, &src.Name, &src.Kind); err != nil {
			return nil, fmt.Errorf("scan population source: %w", err)
		}
		src.Collector = src.Kind + " collector, assay " + assay.Version
		out = append(out, src)
	}
	return out, rows.Err()
}

func (s *orgStore) lastSeq(ctx context.Context, q rowQuerier) (int64, error) {
	var seq sql.NullInt64
	if err := q.QueryRowContext(ctx, s.db.q(`SELECT MAX(seq) FROM activity WHERE org_id = ?`), s.orgID).Scan(&seq); err != nil {
		return 0, fmt.Errorf("last activity: %w", err)
	}
	return seq.Int64, nil
}

// AuditPopulation lists a population at cutoffSeq (0: now).
func (s *orgStore) AuditPopulation(ctx context.Context, id int64, kind, controlID string, cutoffSeq int64) (assay.Population, error) {
	a, err := s.Audit(ctx, id)
	if err != nil {
		return assay.Population{}, err
	}
	if cutoffSeq == 0 {
		if cutoffSeq, err = s.lastSeq(ctx, s.db.read); err != nil {
			return assay.Population{}, err
		}
	}
	return s.population(ctx, s.db.read, a, kind, controlID, cutoffSeq)
}

// CreateAuditSample draws a sample with the documented algorithm
// (assay.DrawSample) and records it with its seed, append-only.
func (s *orgStore) CreateAuditSample(ctx context.Context, actor assay.Actor, id int64, n assay.NewSample) (assay.AuditSample, error) {
	if n.Size < 0 || n.Size > assay.MaxSampleSize { // 0: the usual size for the population (assay.DefaultSampleSize)
		return assay.AuditSample{}, assay.Invalid("size", "The sample size must be between 1 and %d.", assay.MaxSampleSize)
	}
	var seed uint64
	if n.Seed != nil {
		seed = *n.Seed
	} else {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return assay.AuditSample{}, fmt.Errorf("seed: %w", err)
		}
		seed = binary.BigEndian.Uint64(b[:])
	}
	var out assay.AuditSample
	err := s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.audit(s.orgID, id)
		if err != nil {
			return err
		}
		cutoff, err := s.lastSeq(tx.ctx, tx.Tx)
		if err != nil {
			return err
		}
		pop, err := s.population(tx.ctx, tx.Tx, a, n.Population, n.ControlID, cutoff)
		if err != nil {
			return err
		}
		if len(pop.Items) == 0 {
			return assay.Invalid("population", "The population is empty: there is nothing to sample.")
		}
		if n.Size == 0 {
			n.Size = assay.DefaultSampleSize(len(pop.Items))
		}
		if n.Size > len(pop.Items) {
			return assay.Invalid("size", "The sample size (%d) is larger than the population (%d).", n.Size, len(pop.Items))
		}
		keys := assay.DrawSample(assay.SortedKeys(pop.Items), seed, n.Size)
		rawKeys, _ := json.Marshal(keys)
		pop.Frozen = true
		rawPop, err := json.Marshal(pop)
		if err != nil {
			return fmt.Errorf("freeze population: %w", err)
		}
		out = assay.AuditSample{AuditID: id, Population: pop.Kind, ControlID: pop.ControlID, PopulationSize: len(pop.Items),
			PopulationDigest: pop.Digest, RowsDigest: pop.Provenance.RowsDigest, CutoffSeq: cutoff, Seed: seed, Size: n.Size, Keys: keys,
			CreatedByName: actor.Name, CreatedAt: tx.now}
		err = tx.queryRow(`INSERT INTO audit_samples (org_id, audit_id, population, control_id, population_size, population_digest, rows_digest, population_json, cutoff_seq, seed, size, keys_json, created_by_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, id, out.Population, out.ControlID, out.PopulationSize, out.PopulationDigest,
			out.RowsDigest, string(rawPop), cutoff, strconv.FormatUint(seed, 10), out.Size, string(rawKeys), actor.Name, formatTime(tx.now)).Scan(&out.ID)
		if err != nil {
			return fmt.Errorf("insert sample: %w", err)
		}
		what := out.Population
		if out.ControlID != "" {
			what += " of " + out.ControlID
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "audit.sample", objectType: "audit", objectID: fmt.Sprint(id),
			summary: fmt.Sprintf("Drew a sample of %d from %d (%s) for %q with seed %d", out.Size, out.PopulationSize, what, a.Name, seed), after: out})
		return err
	})
	return out, err
}

// AuditSamples lists an engagement's samples, oldest first.
func (s *orgStore) AuditSamples(ctx context.Context, id int64) ([]assay.AuditSample, error) {
	if _, err := s.Audit(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, audit_id, population, control_id, population_size, population_digest, rows_digest, cutoff_seq, seed, size, keys_json, created_by_name, created_at
		FROM audit_samples WHERE org_id = ? AND audit_id = ? ORDER BY id`, s.orgID, id)
	if err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	defer rows.Close()
	out := []assay.AuditSample{}
	for rows.Next() {
		var x assay.AuditSample
		var seed, keys, created string
		if err := rows.Scan(&x.ID, &x.AuditID, &x.Population, &x.ControlID, &x.PopulationSize, &x.PopulationDigest, &x.RowsDigest, &x.CutoffSeq, &seed, &x.Size, &keys, &x.CreatedByName, &created); err != nil {
			return nil, fmt.Errorf("scan sample: %w", err)
		}
		if x.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
			return nil, fmt.Errorf("sample %d seed: %w", x.ID, err)
		}
		if err := json.Unmarshal([]byte(keys), &x.Keys); err != nil {
			return nil, fmt.Errorf("sample %d keys: %w", x.ID, err)
		}
		if x.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AuditSamplePopulation is the population a sample was drawn from, as it
// was frozen then; a sample drawn before populations were kept has its
// population listed again at its cutoff.
func (s *orgStore) AuditSamplePopulation(ctx context.Context, auditID, sampleID int64) (assay.Population, error) {
	var pop assay.Population
	var raw sql.NullString
	var kind, control string
	var cutoff int64
	err := s.db.queryRow(ctx, `SELECT population_json, population, control_id, cutoff_seq FROM audit_samples WHERE org_id = ? AND audit_id = ? AND id = ?`,
		s.orgID, auditID, sampleID).Scan(&raw, &kind, &control, &cutoff)
	if errors.Is(err, sql.ErrNoRows) {
		return pop, assay.Errorf(assay.ENOTFOUND, "No sample %d in engagement %d.", sampleID, auditID)
	} else if err != nil {
		return pop, fmt.Errorf("sample %d: %w", sampleID, err)
	}
	if !raw.Valid {
		return s.AuditPopulation(ctx, auditID, kind, control, cutoff)
	}
	if err := json.Unmarshal([]byte(raw.String), &pop); err != nil {
		return pop, fmt.Errorf("sample %d population: %w", sampleID, err)
	}
	return pop, nil
}
