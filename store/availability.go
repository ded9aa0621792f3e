package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// AvailabilityStore is the organisation's availability monitoring:
// services to probe, their maintenance windows, probe results (raw for
// assay.RawRetention, then hourly and daily roll-ups) and status periods
// (see the storage model in the assay package's availability.go).
//
// Creating, changing and removing services and maintenance windows has an
// activity entry (and ledger leaf) like every register. A probe result is
// a measurement: RecordProbe writes none, except when the service's state
// changes to or from down, which is recorded as one entry.
type AvailabilityStore interface {
	// Services lists the organisation's services by name; Service returns one.
	Services(ctx context.Context) ([]assay.Service, error)
	Service(ctx context.Context, id int64) (assay.Service, error)
	// CreateService validates and records a service; its first probe is due at once.
	CreateService(ctx context.Context, actor assay.Actor, s assay.Service) (assay.Service, error)
	// UpdateService changes a service's settings (not its state).
	UpdateService(ctx context.Context, actor assay.Actor, id int64, s assay.Service) (assay.Service, error)
	// DeleteService removes a service that has never been probed
	// (ECONFLICT otherwise: pause it instead, its history stays).
	DeleteService(ctx context.Context, actor assay.Actor, id int64) error

	// MaintenanceWindows lists the windows of a service (0: every service)
	// overlapping [from, to), by start.
	MaintenanceWindows(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.MaintenanceWindow, error)
	// CreateMaintenance records a window in advance (it may not start in the past).
	CreateMaintenance(ctx context.Context, actor assay.Actor, m assay.MaintenanceWindow) (assay.MaintenanceWindow, error)
	// DeleteMaintenance cancels a window that has not started (ECONFLICT otherwise).
	DeleteMaintenance(ctx context.Context, actor assay.Actor, id int64) error

	// RecordProbe records one probe result in one transaction: the raw
	// row, the hourly and daily roll-ups, the service's state (assay
	// Service.Step, applied to the state read in the transaction) and its
	// status periods. A result inside a maintenance window is recorded as
	// maintenance whatever the probe said.
	RecordProbe(ctx context.Context, r assay.ProbeResult) (assay.ProbeRecord, error)
	// OpenDowntimeIncident opens the incident of a downtime (a down
	// status period) in one transaction with the link from the period and
	// (while it lasts) the service, and a timeline note when note is not
	// empty. A period has one incident: when it has one already, that one
	// is returned with opened false and nothing is written.
	OpenDowntimeIncident(ctx context.Context, actor assay.Actor, periodID int64, n assay.NewIncident, note string) (inc assay.Incident, opened bool, err error)
	// StatusPeriods lists the down and unknown periods of a service (0:
	// every service) overlapping [from, to), oldest first.
	StatusPeriods(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.StatusPeriod, error)
	// Rollups lists a service's hourly (hourly true) or daily roll-ups
	// starting in [from, to), oldest first, percentiles filled in.
	Rollups(ctx context.Context, serviceID int64, hourly bool, from, to time.Time) ([]assay.Rollup, error)
	// MinuteRollups lists a service's per-minute roll-ups starting in
	// [from, to), one per minute and probe location, oldest first.
	MinuteRollups(ctx context.Context, serviceID int64, from, to time.Time) ([]assay.Rollup, error)
	// ServiceLocations lists how each named probe location sees a service
	// (empty when no server names its location).
	ServiceLocations(ctx context.Context, serviceID int64) ([]assay.LocationStatus, error)
	// ProbeResults lists a service's raw results in [from, to), newest
	// first (limit 0: 100, at most 10,000).
	ProbeResults(ctx context.Context, serviceID int64, from, to time.Time, limit int) ([]assay.ProbeResult, error)
}

// AvailabilityScheduler is the unscoped part of availability monitoring.
type AvailabilityScheduler interface {
	// ClaimDueServices finds enabled services whose next probe is at or
	// before now, moves each one's next probe to now plus its interval,
	// and returns the services this caller claimed (oldest due first, at
	// most limit; 0: 100). A due service is claimed by exactly one caller
	// even when several processes share the database.
	ClaimDueServices(ctx context.Context, now time.Time, limit int) ([]assay.Service, error)
	// ClaimDueServicesFrom is ClaimDueServices for one named probe
	// location: each location probes every enabled service once per
	// interval, claimed once across the processes of that location
	// ("": ClaimDueServices).
	ClaimDueServicesFrom(ctx context.Context, location string, now time.Time, limit int) ([]assay.Service, error)
	// PruneAvailability deletes raw results older than assay.RawRetention,
	// per-minute roll-ups older than assay.MinuteRetention and hourly
	// roll-ups older than assay.HourlyRetention before now; it returns how
	// many rows went.
	PruneAvailability(ctx context.Context, now time.Time) (int64, error)
}
