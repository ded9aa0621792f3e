package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

const serviceColumns = `id, org_id, name, kind, target, expect_status, keyword, latency_ms, interval_seconds, timeout_seconds, retries,
	incident_after_seconds, sla_target, public, enabled, description, state, state_since, fail_streak, fail_since, last_probe_at,
	last_latency_ms, last_error, next_probe_at, incident_id, first_probe_at, created_at, updated_at`

func scanService(row interface{ Scan(...any) error }) (assay.Service, error) {
	var s assay.Service
	var public, enabled int
	var stateSince, failSince, lastProbe, firstProbe sql.NullString
	var next, created, updated string
	err := row.Scan(&s.ID, &s.OrgID, &s.Name, &s.Kind, &s.Target, &s.ExpectStatus, &s.Keyword, &s.LatencyMillis, &s.IntervalSecs,
		&s.TimeoutSecs, &s.Retries, &s.IncidentAfterS, &s.SLATarget, &public, &enabled, &s.Description, &s.State, &stateSince,
		&s.FailStreak, &failSince, &lastProbe, &s.LastLatency, &s.LastError, &next, &s.IncidentID, &firstProbe, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return s, assay.Errorf(assay.ENOTFOUND, "Service not found.")
		}
		return s, fmt.Errorf("scan service: %w", err)
	}
	s.Public, s.Enabled = public != 0, enabled != 0
	for _, t := range []struct {
		dst *time.Time
		s   string
	}{{&s.NextProbeAt, next}, {&s.CreatedAt, created}, {&s.UpdatedAt, updated}} {
		if *t.dst, err = parseTime(t.s); err != nil {
			return s, err
		}
	}
	for _, t := range []struct {
		dst **time.Time
		s   sql.NullString
	}{{&s.StateSince, stateSince}, {&s.FailSince, failSince}, {&s.LastProbeAt, lastProbe}, {&s.FirstProbe, firstProbe}} {
		if *t.dst, err = parseTimePtr(t.s); err != nil {
			return s, err
		}
	}
	return s, nil
}

func (s *orgStore) serviceByID(ctx context.Context, q rowQuerier, id int64) (assay.Service, error) {
	return scanService(q.QueryRowContext(ctx, s.db.q(`SELECT `+serviceColumns+` FROM availability_services WHERE org_id = ? AND id = ?`), s.orgID, id))
}

// Service returns one service.
func (s *orgStore) Service(ctx context.Context, id int64) (assay.Service, error) {
	return s.serviceByID(ctx, s.db.read, id)
}

// Services lists the organisation's services by name.
func (s *orgStore) Services(ctx context.Context) ([]assay.Service, error) {
	rows, err := s.db.query(ctx, `SELECT `+serviceColumns+` FROM availability_services WHERE org_id = ? ORDER BY name `+s.db.dialect.Binary()+`, id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}
	defer rows.Close()
	out := []assay.Service{}
	for rows.Next() {
		svc, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, svc)
	}
	return out, rows.Err()
}

func serviceConflict(tx *Tx, err error, name string) error {
	if assay.ErrorCode(tx.db.dialect.MapError(err)) == assay.ECONFLICT {
		return assay.Errorf(assay.ECONFLICT, "There is already a service named %q.", name)
	}
	return err
}

// CreateService records a service; its first probe is due at once.
func (s *orgStore) CreateService(ctx context.Context, actor assay.Actor, svc assay.Service) (assay.Service, error) {
	if err := svc.Validate(); err != nil {
		return assay.Service{}, err
	}
	var out assay.Service
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		now := formatTime(tx.now)
		var id int64
		err := tx.queryRow(`INSERT INTO availability_services (org_id, name, kind, target, expect_status, keyword, latency_ms, interval_seconds,
			timeout_seconds, retries, incident_after_seconds, sla_target, public, enabled, description, state, next_probe_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.orgID, svc.Name, string(svc.Kind), svc.Target, svc.ExpectStatus, svc.Keyword, svc.LatencyMillis, svc.IntervalSecs, svc.TimeoutSecs,
			svc.Retries, svc.IncidentAfterS, svc.SLATarget, boolInt(svc.Public), boolInt(svc.Enabled), svc.Description, string(assay.StatePending),
			now, now, now).Scan(&id)
		if err != nil {
			return serviceConflict(tx, err, svc.Name)
		}
		if out, err = s.serviceByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "availability.service.create", objectType: "availability_service",
			objectID: idText(id), summary: fmt.Sprintf("Availability service %q (%s %s) added", out.Name, out.Kind, out.Target), after: serviceSettings(out)})
		return err
	})
	return out, err
}

// serviceSettings is what the audit trail keeps of a service: its
// settings, not its moving state.
func serviceSettings(s assay.Service) map[string]any {
	return map[string]any{"id": s.ID, "name": s.Name, "kind": s.Kind, "target": s.Target, "expect_status": s.ExpectStatus, "keyword": s.Keyword,
		"latency_ms": s.LatencyMillis, "interval_seconds": s.IntervalSecs, "timeout_seconds": s.TimeoutSecs, "retries": s.Retries,
		"incident_after_seconds": s.IncidentAfterS, "sla_target": s.SLATarget, "public": s.Public, "enabled": s.Enabled, "description": s.Description}
}

// UpdateService changes a service's settings.
func (s *orgStore) UpdateService(ctx context.Context, actor assay.Actor, id int64, svc assay.Service) (assay.Service, error) {
	if err := svc.Validate(); err != nil {
		return assay.Service{}, err
	}
	var out assay.Service
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.serviceByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		q := `UPDATE availability_services SET name = ?, kind = ?, target = ?, expect_status = ?, keyword = ?, latency_ms = ?, interval_seconds = ?,
			timeout_seconds = ?, retries = ?, incident_after_seconds = ?, sla_target = ?, public = ?, enabled = ?, description = ?, updated_at = ?`
		args := []any{svc.Name, string(svc.Kind), svc.Target, svc.ExpectStatus, svc.Keyword, svc.LatencyMillis, svc.IntervalSecs, svc.TimeoutSecs,
			svc.Retries, svc.IncidentAfterS, svc.SLATarget, boolInt(svc.Public), boolInt(svc.Enabled), svc.Description, formatTime(tx.now)}
		if svc.IntervalSecs != before.IntervalSecs && before.LastProbeAt != nil {
			q += `, next_probe_at = ?`
			args = append(args, formatTime(before.LastProbeAt.Add(svc.Interval())))
		}
		if _, err := tx.exec(q+` WHERE org_id = ? AND id = ?`, append(args, s.orgID, id)...); err != nil {
			return serviceConflict(tx, err, svc.Name)
		}
		if out, err = s.serviceByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "availability.service.update", objectType: "availability_service",
			objectID: idText(id), summary: fmt.Sprintf("Availability service %q changed", out.Name), before: serviceSettings(before), after: serviceSettings(out)})
		return err
	})
	return out, err
}

// DeleteService removes a service that has never been probed.
func (s *orgStore) DeleteService(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		before, err := s.serviceByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.FirstProbe != nil {
			return assay.Errorf(assay.ECONFLICT, "Service %q has been probed since %s; pause it instead, so its history stays.",
				before.Name, before.FirstProbe.Format("2006-01-02"))
		}
		for _, q := range []string{
			`DELETE FROM availability_probes WHERE service_id = ?`,
			`DELETE FROM availability_hourly WHERE service_id = ?`,
			`DELETE FROM availability_daily WHERE service_id = ?`,
		} {
			if _, err := tx.exec(q, id); err != nil {
				return fmt.Errorf("delete service history: %w", err)
			}
		}
		for _, q := range []string{
			`DELETE FROM availability_periods WHERE org_id = ? AND service_id = ?`,
			`DELETE FROM availability_maintenance WHERE org_id = ? AND service_id = ?`,
			`DELETE FROM availability_services WHERE org_id = ? AND id = ?`,
		} {
			if _, err := tx.exec(q, s.orgID, id); err != nil {
				return fmt.Errorf("delete service: %w", err)
			}
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "availability.service.delete", objectType: "availability_service",
			objectID: idText(id), summary: fmt.Sprintf("Availability service %q removed", before.Name), before: serviceSettings(before)})
		return err
	})
}

const maintenanceColumns = `id, service_id, starts_at, ends_at, reason, created_by, created_at`

func scanMaintenance(row interface{ Scan(...any) error }) (assay.MaintenanceWindow, error) {
	var m assay.MaintenanceWindow
	var starts, ends, created string
	if err := row.Scan(&m.ID, &m.ServiceID, &starts, &ends, &m.Reason, &m.CreatedBy, &created); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return m, assay.Errorf(assay.ENOTFOUND, "Maintenance window not found.")
		}
		return m, fmt.Errorf("scan maintenance: %w", err)
	}
	var err error
	for _, t := range []struct {
		dst *time.Time
		s   string
	}{{&m.StartsAt, starts}, {&m.EndsAt, ends}, {&m.CreatedAt, created}} {
		if *t.dst, err = parseTime(t.s); err != nil {
			return m, err
		}
	}
	return m, nil
}

// MaintenanceWindows lists windows overlapping [from, to).
func (s *orgStore) MaintenanceWindows(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.MaintenanceWindow, error) {
	return s.maintenance(ctx, s.db.read, serviceID, from, to)
}

func (s *orgStore) maintenance(ctx context.Context, q querier, serviceID int64, from, to time.Time) ([]assay.MaintenanceWindow, error) {
	query := `SELECT ` + maintenanceColumns + ` FROM availability_maintenance WHERE org_id = ? AND ends_at > ? AND starts_at < ?`
	args := []any{s.orgID, formatTime(from), formatTime(to)}
	if serviceID != 0 {
		query += ` AND service_id = ?`
		args = append(args, serviceID)
	}
	rows, err := q.QueryContext(ctx, s.db.q(query+` ORDER BY starts_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("maintenance windows: %w", err)
	}
	defer rows.Close()
	out := []assay.MaintenanceWindow{}
	for rows.Next() {
		m, err := scanMaintenance(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// CreateMaintenance records a window in advance.
func (s *orgStore) CreateMaintenance(ctx context.Context, actor assay.Actor, m assay.MaintenanceWindow) (assay.MaintenanceWindow, error) {
	var out assay.MaintenanceWindow
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := m.Validate(tx.now); err != nil {
			return err
		}
		svc, err := s.serviceByID(tx.ctx, tx.Tx, m.ServiceID)
		if err != nil {
			return err
		}
		var id int64
		err = tx.queryRow(`INSERT INTO availability_maintenance (org_id, service_id, starts_at, ends_at, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, m.ServiceID, formatTime(m.StartsAt.Truncate(time.Second)),
			formatTime(m.EndsAt.Truncate(time.Second)), m.Reason, actor.Name, formatTime(tx.now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert maintenance: %w", err)
		}
		if out, err = scanMaintenance(tx.queryRow(`SELECT `+maintenanceColumns+` FROM availability_maintenance WHERE id = ?`, id)); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "availability.maintenance.create", objectType: "availability_maintenance",
			objectID: idText(id), summary: fmt.Sprintf("Maintenance of %q planned %s to %s: %s", svc.Name, out.StartsAt.Format(time.RFC3339),
				out.EndsAt.Format(time.RFC3339), out.Reason), after: out})
		return err
	})
	return out, err
}

// DeleteMaintenance cancels a window that has not started.
func (s *orgStore) DeleteMaintenance(ctx context.Context, actor assay.Actor, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		m, err := scanMaintenance(tx.queryRow(`SELECT `+maintenanceColumns+` FROM availability_maintenance WHERE org_id = ? AND id = ?`, s.orgID, id))
		if err != nil {
			return err
		}
		if !m.StartsAt.After(tx.now) {
			return assay.Errorf(assay.ECONFLICT, "Maintenance window %d has started; it stays in the record.", id)
		}
		if _, err := tx.exec(`DELETE FROM availability_maintenance WHERE org_id = ? AND id = ?`, s.orgID, id); err != nil {
			return fmt.Errorf("delete maintenance: %w", err)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "availability.maintenance.delete", objectType: "availability_maintenance",
			objectID: idText(id), summary: "Planned maintenance cancelled: " + m.Reason, before: m})
		return err
	})
}

// Outcome codes of the raw and roll-up tables.
var outcomeCode = map[assay.ProbeOutcome]int{assay.OutcomeUp: 0, assay.OutcomeDown: 1, assay.OutcomeUnknown: 2, assay.OutcomeMaintenance: 3}
var outcomeOf = []assay.ProbeOutcome{assay.OutcomeUp, assay.OutcomeDown, assay.OutcomeUnknown, assay.OutcomeMaintenance}

const maxProbeError = 300

// RecordProbe records one probe result.
func (s *orgStore) RecordProbe(ctx context.Context, r assay.ProbeResult) (assay.ProbeRecord, error) {
	if _, ok := outcomeCode[r.Outcome]; !ok {
		return assay.ProbeRecord{}, assay.Invalid("outcome", "Unknown probe outcome %q.", r.Outcome)
	}
	r.At = r.At.UTC().Truncate(time.Millisecond)
	if len(r.Error) > maxProbeError {
		r.Error = r.Error[:maxProbeError]
	}
	if r.LatencyMS < 0 {
		r.LatencyMS = 0
	}
	if err := assay.ValidLocation(r.Location); err != nil {
		return assay.ProbeRecord{}, err
	}
	var rec assay.ProbeRecord
	err := s.db.update(ctx, func(tx *Tx) error {
		svc, err := s.serviceByID(tx.ctx, tx.Tx, r.ServiceID)
		if err != nil {
			return err
		}
		var inMaint int
		err = tx.queryRow(`SELECT COUNT(*) FROM availability_maintenance WHERE org_id = ? AND service_id = ? AND starts_at <= ? AND ends_at > ?`,
			s.orgID, svc.ID, formatTime(r.At), formatTime(r.At)).Scan(&inMaint)
		if err != nil {
			return fmt.Errorf("maintenance at probe: %w", err)
		}
		if inMaint > 0 {
			r.Outcome = assay.OutcomeMaintenance
		}
		// The raw row; a second result for the same millisecond replaces the first.
		if _, err := tx.exec(`INSERT INTO availability_probes (service_id, at, location, outcome, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (service_id, at, location) DO UPDATE SET outcome = excluded.outcome, latency_ms = excluded.latency_ms, error = excluded.error`,
			svc.ID, r.At.UnixMilli(), r.Location, outcomeCode[r.Outcome], r.LatencyMS, r.Error); err != nil {
			return fmt.Errorf("insert probe: %w", err)
		}
		if err := tx.addToMinute(svc.ID, r); err != nil {
			return err
		}
		for _, table := range []string{"availability_hourly", "availability_daily"} {
			start := r.At.Truncate(time.Hour)
			if table == "availability_daily" {
				start = time.Date(r.At.Year(), r.At.Month(), r.At.Day(), 0, 0, 0, 0, time.UTC)
			}
			if err := tx.addToRollup(table, svc.ID, start, r); err != nil {
				return err
			}
		}
		// A gap without results while the service was up (the prober was
		// not running, or the service paused) is unknown, not uptime.
		if svc.LastProbeAt != nil && (svc.State == assay.StateUp || svc.State == assay.StateMaintenance) && r.At.Sub(*svc.LastProbeAt) > svc.ProbeGap() {
			if _, err := tx.exec(`INSERT INTO availability_periods (org_id, service_id, state, started_at, ended_at, error) VALUES (?, ?, ?, ?, ?, ?)`,
				s.orgID, svc.ID, string(assay.StateUnknown), formatTime(svc.LastProbeAt.Add(svc.Interval())), formatTime(r.At),
				"no probe results: the prober was not running or the service was paused"); err != nil {
				return fmt.Errorf("record gap: %w", err)
			}
		}
		step, err := tx.stepFor(svc, r)
		if err != nil {
			return err
		}
		rec = assay.ProbeRecord{WentDown: step.WentDown, Recovered: step.Recovered}
		var open assay.StatusPeriod
		if svc.State == assay.StateDown || svc.State == assay.StateUnknown {
			open, err = tx.openPeriod(s.orgID, svc.ID)
			if err != nil {
				return err
			}
		}
		if step.CloseAt != nil && open.ID != 0 {
			if _, err := tx.exec(`UPDATE availability_periods SET ended_at = ? WHERE id = ?`, formatTime(*step.CloseAt), open.ID); err != nil {
				return fmt.Errorf("close period: %w", err)
			}
			if step.Recovered {
				ended := open
				ended.EndedAt = step.CloseAt
				rec.DownPeriod = &ended
				rec.EndedIncidentID = open.IncidentID
			}
			open = assay.StatusPeriod{}
		}
		if step.Open != nil {
			err := tx.queryRow(`INSERT INTO availability_periods (org_id, service_id, state, started_at, error) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, svc.ID, string(step.Open.State), formatTime(step.Open.StartedAt), clip(step.Open.Error, maxProbeError)).Scan(&open.ID)
			if err != nil {
				return fmt.Errorf("open period: %w", err)
			}
		}
		rec.PeriodID = open.ID
		n := step.Service
		_, err = tx.exec(`UPDATE availability_services SET state = ?, state_since = ?, fail_streak = ?, fail_since = ?, last_probe_at = ?,
			last_latency_ms = ?, last_error = ?, incident_id = ?, first_probe_at = ? WHERE org_id = ? AND id = ?`,
			string(n.State), formatTimePtr(n.StateSince), n.FailStreak, formatTimePtr(n.FailSince), formatTimePtr(n.LastProbeAt),
			n.LastLatency, clip(n.LastError, maxProbeError), n.IncidentID, formatTimePtr(n.FirstProbe), s.orgID, svc.ID)
		if err != nil {
			return fmt.Errorf("update service state: %w", err)
		}
		if rec.Service, err = s.serviceByID(tx.ctx, tx.Tx, svc.ID); err != nil {
			return err
		}
		// A change to or from down is a change worth an audit entry; a
		// probe that changes nothing is only a measurement.
		switch {
		case step.WentDown:
			_, err = tx.appendActivity(assay.SystemActor, change{orgID: s.orgID, action: "availability.down", objectType: "availability_service",
				objectID: idText(svc.ID), summary: fmt.Sprintf("Service %q down since %s: %s", svc.Name, n.StateSince.Format(time.RFC3339), clip(r.Error, 200)),
				after: map[string]any{"state": n.State, "since": n.StateSince, "period_id": open.ID}})
		case step.Recovered:
			_, err = tx.appendActivity(assay.SystemActor, change{orgID: s.orgID, action: "availability.up", objectType: "availability_service",
				objectID: idText(svc.ID), summary: fmt.Sprintf("Service %q %s again at %s", svc.Name, n.State, r.At.Format(time.RFC3339)),
				before: map[string]any{"state": assay.StateDown, "since": svc.StateSince}, after: map[string]any{"state": n.State, "since": n.StateSince}})
		}
		return err
	})
	return rec, err
}

func (tx *Tx) openPeriod(orgID, serviceID int64) (assay.StatusPeriod, error) {
	p, err := scanPeriod(tx.queryRow(`SELECT `+periodColumns+` FROM availability_periods WHERE org_id = ? AND service_id = ? AND ended_at IS NULL
		ORDER BY started_at DESC, id DESC LIMIT 1`, orgID, serviceID))
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return assay.StatusPeriod{}, nil
	}
	return p, err
}

// addToRollup folds r into the roll-up row of table starting at start.
func (tx *Tx) addToRollup(table string, serviceID int64, start time.Time, r assay.ProbeResult) error {
	var ru assay.Rollup
	var hist []byte
	err := tx.queryRow(`SELECT probes, up, down, unknown, maintenance, histogram FROM `+table+` WHERE service_id = ? AND start = ?`,
		serviceID, start.Unix()).Scan(&ru.Probes, &ru.Up, &ru.Down, &ru.Unknown, &ru.Maintenance, &hist)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read %s: %w", table, err)
	}
	ru.Histogram = assay.DecodeHistogram(hist)
	ru.Count(r)
	return tx.writeRollup(table, serviceID, start, ru)
}

func (tx *Tx) writeRollup(table string, serviceID int64, start time.Time, ru assay.Rollup) error {
	_, err := tx.exec(`INSERT INTO `+table+` (service_id, start, probes, up, down, unknown, maintenance, histogram) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (service_id, start) DO UPDATE SET probes = excluded.probes, up = excluded.up, down = excluded.down,
		unknown = excluded.unknown, maintenance = excluded.maintenance, histogram = excluded.histogram`,
		serviceID, start.Unix(), ru.Probes, ru.Up, ru.Down, ru.Unknown, ru.Maintenance, assay.EncodeHistogram(ru.Histogram))
	if err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

const periodColumns = `id, service_id, state, started_at, ended_at, error, incident_id`

func scanPeriod(row interface{ Scan(...any) error }) (assay.StatusPeriod, error) {
	var p assay.StatusPeriod
	var started string
	var ended sql.NullString
	if err := row.Scan(&p.ID, &p.ServiceID, &p.State, &started, &ended, &p.Error, &p.IncidentID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return p, assay.Errorf(assay.ENOTFOUND, "Status period not found.")
		}
		return p, fmt.Errorf("scan period: %w", err)
	}
	var err error
	if p.StartedAt, err = parseTime(started); err != nil {
		return p, err
	}
	p.EndedAt, err = parseTimePtr(ended)
	return p, err
}

// OpenDowntimeIncident opens the incident of a downtime, once.
func (s *orgStore) OpenDowntimeIncident(ctx context.Context, actor assay.Actor, periodID int64, n assay.NewIncident, note string) (assay.Incident, bool, error) {
	if err := n.Validate(s.db.clock.Now()); err != nil {
		return assay.Incident{}, false, err
	}
	var out assay.Incident
	opened := false
	err := s.db.update(ctx, func(tx *Tx) error {
		p, err := scanPeriod(tx.queryRow(`SELECT `+periodColumns+` FROM availability_periods WHERE org_id = ? AND id = ?`, s.orgID, periodID))
		if err != nil {
			return err
		}
		if p.IncidentID != 0 {
			out, err = s.incidentByID(tx.ctx, tx.Tx, p.IncidentID)
			return err
		}
		if p.State != assay.StateDown {
			return assay.Errorf(assay.ECONFLICT, "Status period %d is not a downtime.", periodID)
		}
		if out, err = s.insertIncident(tx, actor, n); err != nil {
			return err
		}
		opened = true
		if note != "" {
			if _, err := tx.addIncidentEntry(s.orgID, out.ID, actor, "note", note); err != nil {
				return err
			}
		}
		if _, err := tx.exec(`UPDATE availability_periods SET incident_id = ? WHERE id = ?`, out.ID, periodID); err != nil {
			return fmt.Errorf("link incident: %w", err)
		}
		if p.EndedAt == nil {
			if _, err := tx.exec(`UPDATE availability_services SET incident_id = ? WHERE org_id = ? AND id = ?`, out.ID, s.orgID, p.ServiceID); err != nil {
				return fmt.Errorf("link incident: %w", err)
			}
		}
		return nil
	})
	return out, opened, err
}

// StatusPeriods lists down and unknown periods overlapping [from, to).
func (s *orgStore) StatusPeriods(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.StatusPeriod, error) {
	q := `SELECT ` + periodColumns + ` FROM availability_periods WHERE org_id = ? AND started_at < ? AND (ended_at IS NULL OR ended_at > ?)`
	args := []any{s.orgID, formatTime(to), formatTime(from)}
	if serviceID != 0 {
		q += ` AND service_id = ?`
		args = append(args, serviceID)
	}
	rows, err := s.db.query(ctx, q+` ORDER BY started_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("status periods: %w", err)
	}
	defer rows.Close()
	out := []assay.StatusPeriod{}
	for rows.Next() {
		p, err := scanPeriod(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// requireService fails with ENOTFOUND unless the service is the organisation's.
func (s *orgStore) requireService(ctx context.Context, id int64) error {
	var one int
	err := s.db.queryRow(ctx, `SELECT 1 FROM availability_services WHERE org_id = ? AND id = ?`, s.orgID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return assay.Errorf(assay.ENOTFOUND, "Service not found.")
	}
	return err
}
