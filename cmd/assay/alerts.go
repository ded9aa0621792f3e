package main

import (
	"strings"

	"github.com/assay-platform/assay/monitor/alert"
)

// wireAlerts makes the alert notifier (once) and hands it every run's
// status changes, so new failures and recoveries reach the organisation's
// alert channels. It needs openMonitor first (the secret key and the
// runner); without them it returns nil.
func (m *Main) wireAlerts() *alert.Notifier {
	if m.alerts != nil || m.Runner == nil || m.Secrets == nil {
		return m.alerts
	}
	m.alerts = &alert.Notifier{Store: m.Store, Box: m.Secrets, Clock: m.Config.Clock, Logger: m.Config.Logger, Checks: m.App.ChecksByID,
		BaseURL: strings.TrimRight(m.Config.PublicURL, "/")}
	if m.Runner.Notify == nil {
		m.Runner.Notify = m.alerts.Hook
	}
	return m.alerts
}
