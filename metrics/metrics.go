// Package metrics is Assay's opt-in Prometheus endpoint: request latency by
// route pattern, monitoring runs and their duration, the results of each
// source's last run, and the ledger's size. Each Metrics has its own
// registry (no package globals), served by Handler on an address of its own.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/assay-platform/assay"
)

// Config says where the figures read at scrape time come from.
type Config struct {
	// LedgerSize returns the number of entries in the ledger (nil: the
	// gauge is not exported).
	LedgerSize func(context.Context) (int64, error)
}

// Metrics holds the collectors.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.HistogramVec
	runs        *prometheus.CounterVec
	runDuration *prometheus.HistogramVec
	results     *prometheus.GaugeVec
}

// New makes the collectors and registers them, with the Go runtime's and
// the process's.
func New(cfg Config) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "assay", Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern (unmatched for none) and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "status"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "assay", Subsystem: "monitoring", Name: "runs_total",
			Help: "Monitoring runs recorded by this process, by source kind and status (ok, error).",
		}, []string{"kind", "status"}),
		runDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "assay", Subsystem: "monitoring", Name: "run_duration_seconds",
			Help:    "Time from a monitoring run's start to its end, by source kind.",
			Buckets: []float64{.01, .05, .1, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"kind"}),
		results: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "assay", Subsystem: "monitoring", Name: "last_run_results",
			Help: "Check results of each source's last run recorded by this process, by result (pass, fail, error).",
		}, []string{"org", "source", "kind", "result"}),
	}
	m.reg.MustRegister(m.requests, m.runs, m.runDuration, m.results,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cfg.LedgerSize != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: "assay", Subsystem: "ledger", Name: "entries",
			Help: "Entries in the tamper-evident ledger (read from the database at each scrape; -1 when it cannot be read).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			n, err := cfg.LedgerSize(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Middleware times every request next answers. route names the request's
// route pattern (the ServeMux pattern, such as "GET /controls/{id}"), so
// the label stays bounded whatever the URL; "" counts as unmatched.
func (m *Metrics) Middleware(next http.Handler, route func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pattern := route(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			m.requests.WithLabelValues(pattern, strconv.Itoa(rec.status/100)+"xx").Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

// ObserveRun counts a recorded monitoring run and keeps its results as the
// source's latest.
func (m *Metrics) ObserveRun(orgID int64, src assay.Source, run assay.MonitorRun) {
	m.runs.WithLabelValues(src.Kind, run.Status).Inc()
	if d := run.EndedAt.Sub(run.StartedAt); d >= 0 {
		m.runDuration.WithLabelValues(src.Kind).Observe(d.Seconds())
	}
	org, id := strconv.FormatInt(orgID, 10), strconv.FormatInt(src.ID, 10)
	for result, n := range map[string]int{"pass": run.Pass, "fail": run.Fail, "error": run.Errors} {
		m.results.WithLabelValues(org, id, src.Kind, result).Set(float64(n))
	}
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (deadlines,
// flushing) through the recorder.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
