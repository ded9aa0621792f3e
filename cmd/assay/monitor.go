package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/availability"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/secret"
)

// envSchedulerPoll sets how often the scheduler looks for due sources
// ("30s", "2s"); Config.SchedulerPoll wins when set.
const envSchedulerPoll = "ASSAY_SCHEDULER_POLL"

// openMonitor loads the secret key (ASSAY_SECRET_KEY, or DATA/secret.key
// created on first use) and makes the runner. The store and blobs must be
// open. Commands that run sources without serving call it too.
func (m *Main) openMonitor() error {
	if m.Runner != nil {
		return nil
	}
	box, from, err := secret.Load(m.Config.DataDir, os.Getenv)
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	if from == secret.FromNewFile {
		m.Config.Logger.Info("secret key for source credentials created; back it up with the data folder and give every server of this database the same key",
			"file", filepath.Join(m.Config.DataDir, secret.KeyFile))
	}
	m.Secrets = box
	m.App = m.App.WithSecrets(box) // seals users' TOTP secrets too
	m.Runner = &runner.Runner{
		Store:  m.Store,
		Blobs:  m.Blobs,
		Box:    box,
		Clock:  m.Config.Clock,
		Logger: m.Config.Logger,
		Checks: m.App.Checks,
	}
	return nil
}

// monitorService is what the web server is given to run sources.
func (m *Main) monitorService() app.MonitorService {
	if m.Runner == nil {
		return nil
	}
	return runner.Service{Runner: m.Runner}
}

// schedulerPoll is the scheduler's interval: Config, then the environment,
// then 30 seconds.
func (m *Main) schedulerPoll() (time.Duration, error) {
	if m.Config.SchedulerPoll > 0 {
		return m.Config.SchedulerPoll, nil
	}
	if v := os.Getenv(envSchedulerPoll); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("%s=%q: give a duration such as 30s or 1m", envSchedulerPoll, v)
		}
		return d, nil
	}
	return runner.DefaultPoll, nil
}

// startScheduler runs due sources in the background unless turned off.
func (m *Main) startScheduler() error {
	if m.Config.NoScheduler || m.Runner == nil {
		return nil
	}
	poll, err := m.schedulerPoll()
	if err != nil {
		return err
	}
	m.Scheduler = &runner.Scheduler{Runner: m.Runner, Poll: poll}
	m.Scheduler.Start()
	m.Config.Logger.Info("monitoring scheduler started", "poll", poll.String())
	return m.startProber()
}

// envProberCanary is the availability prober's canary (tcp:host:port or
// dns:name): when it fails, failed probes are recorded as unknown.
const envProberCanary = "ASSAY_PROBER_CANARY"

// startProber runs due availability probes in the background (with the
// scheduler: --no-scheduler turns both off).
func (m *Main) startProber() error {
	probes := availability.Probes{Now: m.Config.Clock.Now}
	canary, err := availability.ParseCanary(os.Getenv(envProberCanary), probes)
	if err != nil {
		return fmt.Errorf("%s: %w", envProberCanary, err)
	}
	m.Prober = &availability.Prober{Store: m.Store, Clock: m.Config.Clock, Probes: probes, Canary: canary, Logger: m.Config.Logger, Location: m.Config.ProbeLocation}
	if n := m.wireAlerts(); n != nil {
		m.Prober.Alerts = n
	}
	m.Prober.Start()
	m.Config.Logger.Info("availability prober started", "poll", m.Prober.Poll.String(), "canary", os.Getenv(envProberCanary), "location", m.Config.ProbeLocation)
	return nil
}

// stopScheduler stops claiming sources and waits for runs in flight.
func (m *Main) stopScheduler() {
	if m.Scheduler != nil {
		m.Scheduler.Stop()
	}
	if m.Prober != nil {
		m.Prober.Stop()
	}
}
