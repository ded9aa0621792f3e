-- +goose Up
-- Availability monitoring: services probed from outside, their planned
-- maintenance, and their probe results kept compactly (raw for 48 hours,
-- hourly roll-ups for 35 days, daily roll-ups for good) with the status
-- periods (down or unknown stretches) uptime is computed from.
CREATE TABLE availability_services (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id                 INTEGER NOT NULL REFERENCES organizations (id),
    name                   TEXT NOT NULL,
    kind                   TEXT NOT NULL CHECK (kind IN ('http', 'tcp', 'tls', 'dns')),
    target                 TEXT NOT NULL,
    expect_status          INTEGER NOT NULL DEFAULT 0,
    keyword                TEXT NOT NULL DEFAULT '',
    latency_ms             INTEGER NOT NULL DEFAULT 0,
    interval_seconds       INTEGER NOT NULL CHECK (interval_seconds BETWEEN 10 AND 86400),
    timeout_seconds        INTEGER NOT NULL,
    retries                INTEGER NOT NULL,
    incident_after_seconds INTEGER NOT NULL,
    sla_target             REAL NOT NULL,
    public                 INTEGER NOT NULL DEFAULT 0,
    enabled                INTEGER NOT NULL DEFAULT 1,
    description            TEXT NOT NULL DEFAULT '',
    state                  TEXT NOT NULL DEFAULT 'pending',
    state_since            TEXT,
    fail_streak            INTEGER NOT NULL DEFAULT 0,
    fail_since             TEXT,
    last_probe_at          TEXT,
    last_latency_ms        INTEGER NOT NULL DEFAULT 0,
    last_error             TEXT NOT NULL DEFAULT '',
    next_probe_at          TEXT NOT NULL,
    incident_id            INTEGER NOT NULL DEFAULT 0,
    first_probe_at         TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name)
);
CREATE INDEX availability_services_due ON availability_services (enabled, next_probe_at);

CREATE TABLE availability_maintenance (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (org_id, service_id) REFERENCES availability_services (org_id, id) ON DELETE CASCADE
);
CREATE INDEX availability_maintenance_by_service ON availability_maintenance (org_id, service_id, starts_at);

CREATE TABLE availability_periods (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    service_id  INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('down', 'unknown')),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    error       TEXT NOT NULL DEFAULT '',
    incident_id INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (org_id, service_id) REFERENCES availability_services (org_id, id) ON DELETE CASCADE
);
CREATE INDEX availability_periods_by_service ON availability_periods (org_id, service_id, started_at);

-- Measurements: keyed by service, times in Unix seconds (raw: milliseconds),
-- outcome 0 up, 1 down, 2 unknown, 3 maintenance; no rowid.
CREATE TABLE availability_probes (
    service_id INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    outcome    INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, at)
) WITHOUT ROWID;

CREATE TABLE availability_hourly (
    service_id  INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    probes      INTEGER NOT NULL,
    up          INTEGER NOT NULL,
    down        INTEGER NOT NULL,
    unknown     INTEGER NOT NULL,
    maintenance INTEGER NOT NULL,
    histogram   BLOB NOT NULL,
    PRIMARY KEY (service_id, start)
) WITHOUT ROWID;

CREATE TABLE availability_daily (
    service_id  INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    probes      INTEGER NOT NULL,
    up          INTEGER NOT NULL,
    down        INTEGER NOT NULL,
    unknown     INTEGER NOT NULL,
    maintenance INTEGER NOT NULL,
    histogram   BLOB NOT NULL,
    PRIMARY KEY (service_id, start)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE availability_daily;
DROP TABLE availability_hourly;
DROP TABLE availability_probes;
DROP TABLE availability_periods;
DROP TABLE availability_maintenance;
DROP TABLE availability_services;
