package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// startTrustListener serves the public trust center alone on its own
// address (Config.TrustAddr), for a host name such as trust.example.com
// put in front of it: there, / is the trust center and nothing else of
// Assay answers (no sign-in, no API).
func (m *Main) startTrustListener(h http.Handler) error {
	if m.Config.TrustAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.Config.TrustAddr)
	if err != nil {
		return fmt.Errorf("trust center: listen on %s: %w", m.Config.TrustAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/trust", h)
	mux.Handle("/trust/", h)
	mux.Handle("GET /static/", h)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/trust", http.StatusFound) })
	m.trustLn = ln
	m.trustHTTP = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(m.Config.Logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := m.trustHTTP.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Config.Logger.Error("trust center server stopped", "err", err)
		}
	}()
	m.Config.Logger.Info("serving the trust center on its own address", "url", m.TrustURL())
	return nil
}

// TrustURL is the trust center's own address ("" when it has none).
func (m *Main) TrustURL() string {
	if m.trustLn == nil {
		return ""
	}
	return "http://" + m.trustLn.Addr().String()
}

func (m *Main) stopTrustListener() error {
	if m.trustHTTP == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.trustHTTP.Shutdown(ctx)
}
