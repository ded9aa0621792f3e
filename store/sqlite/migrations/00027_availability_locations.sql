-- +goose Up
-- Probing from named locations and per-minute roll-ups: raw results are
-- labelled with the location that probed ('' when none was named), each
-- location keeps its own schedule and state per service, and every result
-- is also folded into a per-minute roll-up of its location (kept 48 hours).
CREATE TABLE availability_probes_located (
    service_id INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    location   TEXT NOT NULL DEFAULT '',
    outcome    INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, at, location)
) WITHOUT ROWID;
INSERT INTO availability_probes_located (service_id, at, location, outcome, latency_ms, error)
    SELECT service_id, at, '', outcome, latency_ms, error FROM availability_probes;
DROP TABLE availability_probes;
ALTER TABLE availability_probes_located RENAME TO availability_probes;

CREATE TABLE availability_minutely (
    service_id  INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    location    TEXT NOT NULL DEFAULT '',
    probes      INTEGER NOT NULL,
    up          INTEGER NOT NULL,
    down        INTEGER NOT NULL,
    unknown     INTEGER NOT NULL,
    maintenance INTEGER NOT NULL,
    histogram   BLOB NOT NULL,
    PRIMARY KEY (service_id, start, location)
) WITHOUT ROWID;

CREATE TABLE availability_locations (
    service_id      INTEGER NOT NULL REFERENCES availability_services (id) ON DELETE CASCADE,
    location        TEXT NOT NULL,
    next_probe_at   TEXT NOT NULL,
    last_probe_at   TEXT,
    last_outcome    TEXT NOT NULL DEFAULT '',
    last_latency_ms INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    fail_streak     INTEGER NOT NULL DEFAULT 0,
    fail_since      TEXT,
    PRIMARY KEY (service_id, location)
);

-- +goose Down
DROP TABLE availability_locations;
DROP TABLE availability_minutely;
CREATE TABLE availability_probes_unlocated (
    service_id INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    outcome    INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    error      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, at)
) WITHOUT ROWID;
INSERT OR IGNORE INTO availability_probes_unlocated (service_id, at, outcome, latency_ms, error)
    SELECT service_id, at, outcome, latency_ms, error FROM availability_probes;
DROP TABLE availability_probes;
ALTER TABLE availability_probes_unlocated RENAME TO availability_probes;
