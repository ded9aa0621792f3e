// Package server puts Assay's HTTP faces together: the pages (package
// web) and the JSON API (package api) on one mux, behind authentication,
// cross-origin protection and the security headers (package httpkit),
// with /healthz for load balancers.
package server

import (
	"context"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/api"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/scim"
	"github.com/assay-platform/assay/web"
)

// Config configures a Server (see httpkit.Config). Without App, New builds
// one over Store, Clock, Criteria and Rule with the embedded check library.
type Config = httpkit.Config

// Server serves the pages and the API.
type Server struct {
	cfg     Config
	handler http.Handler
	mux     *httpkit.Mux
}

// New builds a Server; it parses every template and fails if one is broken.
func New(cfg Config) (*Server, error) {
	cfg = cfg.WithDefaults()
	if cfg.App == nil {
		a, err := app.New(app.Config{Store: cfg.Store, Clock: cfg.Clock, Criteria: cfg.Criteria, Rule: cfg.Rule,
			Checks: catalog.LibraryCheckList, Blobs: cfg.Blobs, Snapshots: runner.LoadSnapshot, PasswordParams: cfg.PasswordParams, Logger: cfg.Logger})
		if err != nil {
			return nil, err
		}
		cfg.App = a
	}
	if cfg.Secrets != nil && !cfg.App.MFAAvailable() {
		cfg.App = cfg.App.WithSecrets(cfg.Secrets)
	}
	if cfg.Alerts != nil && !cfg.App.AlertsEnabled() {
		cfg.App = cfg.App.WithAlerts(cfg.Alerts)
	}
	mux := httpkit.NewMux()
	s := &Server{cfg: cfg, mux: mux}
	mux.HandleFunc("GET /healthz", s.healthz)
	if _, err := web.New(cfg, mux); err != nil {
		return nil, err
	}
	api.New(cfg, mux)
	scim.New(cfg.App, cfg.Logger, "", mux) // SCIM 2.0 for identity providers, with its own bearer token
	// Browsers say where a request comes from (Sec-Fetch-Site, Origin); a
	// state-changing request from another origin is refused before any
	// handler runs. Forms also carry a per-session token.
	cop := http.NewCrossOriginProtection()
	s.handler = httpkit.SecurityHeaders(httpkit.ClientAddress(cfg.TrustedProxies, cop.Handler(httpkit.Authenticate(cfg.Store, cfg.Logger, mux))))
	return s, nil
}

// Route is the pattern of the route r would take ("GET /controls/{id}"),
// or "" when none matches: a bounded name for request metrics.
func (s *Server) Route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}

// Routes lists the pattern of every route the server registered (the
// pages, the API and /healthz), for the tests that walk them all.
func (s *Server) Routes() []string { return s.mux.Patterns() }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.cfg.Logger.Error("health check failed", "err", err)
		httpkit.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "not answering"})
		return
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": assay.Version})
}
