// Package pgcheck is the "postgres" collector: it logs in to a PostgreSQL
// server and reports its security settings (TLS, password hashing,
// logging, WAL archiving, version support) as a "postgres.server"
// resource and every role as a "postgres.role" resource. The password or
// DSN never appears in a resource or an error.
package pgcheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// Resource kinds this collector produces.
const (
	KindServer = "postgres.server"
	KindRole   = "postgres.role"
)

const defaultTimeout = 15 * time.Second

type collector struct{ clock assay.Clock }

// New returns the postgres collector on the system clock.
func New() monitor.Collector { return collector{clock: assay.SystemClock{}} }

// NewWithClock returns the postgres collector judging version support and
// role expiry by clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return collector{clock: clock} }

func (collector) Kind() string            { return "postgres" }
func (collector) ResourceKinds() []string { return []string{KindServer, KindRole} }

// Validate wants either the secret dsn, or the settings host and user
// (port, dbname, sslmode optional) with the secret password optional.
func (collector) Validate(cfg monitor.Config) error {
	_, err := connConfig(cfg)
	return err
}

// connConfig builds the pgx configuration. Errors never quote the DSN.
func connConfig(cfg monitor.Config) (*pgx.ConnConfig, error) {
	if dsn := strings.TrimSpace(cfg.Secrets["dsn"]); dsn != "" {
		c, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, assay.Invalid("dsn", "dsn is not a valid PostgreSQL connection string")
		}
		return c, nil
	}
	s := cfg.Settings
	host, user := strings.TrimSpace(s["host"]), strings.TrimSpace(s["user"])
	if host == "" {
		return nil, assay.Invalid("host", "host is required (or give the secret dsn)")
	}
	if user == "" {
		return nil, assay.Invalid("user", "user is required (or give the secret dsn)")
	}
	port := strings.TrimSpace(s["port"])
	if port == "" {
		port = "5432"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, assay.Invalid("port", "port must be a number from 1 to 65535")
	}
	sslmode := strings.TrimSpace(s["sslmode"])
	if sslmode == "" {
		sslmode = "prefer"
	}
	switch sslmode {
	case "disable", "allow", "prefer", "require", "verify-ca", "verify-full":
	default:
		return nil, assay.Invalid("sslmode", "sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
	}
	dbname := strings.TrimSpace(s["dbname"])
	if dbname == "" {
		dbname = user
	}
	kv := fmt.Sprintf("host=%s port=%s user=%s dbname=%s sslmode=%s", quote(host), port, quote(user), quote(dbname), sslmode)
	c, err := pgx.ParseConfig(kv)
	if err != nil {
		return nil, assay.Invalid("host", "host, user or dbname is not valid")
	}
	c.Password = cfg.Secrets["password"]
	return c, nil
}

// quote makes a value safe in a key=value connection string.
func quote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// Collect connects, reads the server's settings and its roles.
func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	pc, err := connConfig(cfg)
	if err != nil {
		return nil, err
	}
	secrets := []string{cfg.Secrets["password"], cfg.Secrets["dsn"], pc.Password}
	addr := net.JoinHostPort(pc.Host, strconv.Itoa(int(pc.Port)))
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil {
		return nil, redact(fmt.Errorf("postgres: connect to %s: %w", addr, err), secrets)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	now := c.clock.Now()
	server, err := serverAttrs(ctx, conn, now)
	if err != nil {
		return nil, redact(fmt.Errorf("postgres: read settings of %s: %w", addr, err), secrets)
	}
	out := []assay.Resource{{Kind: KindServer, ID: addr, Name: addr, Attrs: server}}
	roles, err := roleResources(ctx, conn, addr, now)
	if err != nil {
		return nil, redact(fmt.Errorf("postgres: read roles of %s: %w", addr, err), secrets)
	}
	return append(out, roles...), nil
}

// redactedError prints text with every secret removed. It unwraps only to
// a context error (so a runner can tell a timeout), never to the driver's
// error, whose text might hold a secret.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

func redact(err error, secrets []string) error {
	msg := err.Error()
	for _, s := range secrets {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	var cause error
	for _, c := range []error{context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, c) {
			cause = c
		}
	}
	return &redactedError{msg: msg, cause: cause}
}
