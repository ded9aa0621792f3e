package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/metrics"
	"github.com/assay-platform/assay/server"
)

// startMetrics serves Prometheus metrics at /metrics on their own address
// (Config.MetricsAddr), when one is given: off by default, and never on the
// address people use, so the figures are not public unless one chooses. It
// wraps srv to time requests and the runner to count monitoring runs.
func (m *Main) startMetrics(srv *server.Server) (http.Handler, error) {
	if m.Config.MetricsAddr == "" {
		return srv, nil
	}
	m.metrics = metrics.New(metrics.Config{LedgerSize: m.Store.LedgerSize})
	if m.Runner != nil {
		next := m.Runner.Notify
		m.Runner.Notify = func(ctx context.Context, orgID int64, src assay.Source, run assay.MonitorRun, changes []assay.RunChange) {
			m.metrics.ObserveRun(orgID, src, run)
			if next != nil {
				next(ctx, orgID, src, run, changes)
			}
		}
	}
	ln, err := net.Listen("tcp", m.Config.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", m.Config.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.metrics.Handler())
	m.metricsLn = ln
	m.metricsHTTP = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(m.Config.Logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := m.metricsHTTP.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Config.Logger.Error("metrics server stopped", "err", err)
		}
	}()
	m.Config.Logger.Info("serving Prometheus metrics", "url", m.MetricsURL())
	return m.metrics.Middleware(srv, srv.Route), nil
}

// MetricsURL is where /metrics is served ("" when it is off).
func (m *Main) MetricsURL() string {
	if m.metricsLn == nil {
		return ""
	}
	return "http://" + m.metricsLn.Addr().String() + "/metrics"
}

func (m *Main) stopMetrics() error {
	if m.metricsHTTP == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.metricsHTTP.Shutdown(ctx)
}
