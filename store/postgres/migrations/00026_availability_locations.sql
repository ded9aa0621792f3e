-- +goose Up
-- Probing from named locations and per-minute roll-ups: raw results are
-- labelled with the location that probed ('' when none was named), each
-- location keeps its own schedule and state per service, and every result
-- is also folded into a per-minute roll-up of its location (kept 48 hours).
ALTER TABLE availability_probes ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE availability_probes DROP CONSTRAINT availability_probes_pkey;
ALTER TABLE availability_probes ADD PRIMARY KEY (service_id, at, location);

CREATE TABLE availability_minutely (
    service_id  BIGINT NOT NULL,
    start       BIGINT NOT NULL,
    location    TEXT NOT NULL DEFAULT '',
    probes      INTEGER NOT NULL,
    up          INTEGER NOT NULL,
    down        INTEGER NOT NULL,
    unknown     INTEGER NOT NULL,
    maintenance INTEGER NOT NULL,
    histogram   BYTEA NOT NULL,
    PRIMARY KEY (service_id, start, location)
);

CREATE TABLE availability_locations (
    service_id      BIGINT NOT NULL REFERENCES availability_services (id) ON DELETE CASCADE,
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
DELETE FROM availability_probes WHERE location <> '';
ALTER TABLE availability_probes DROP CONSTRAINT availability_probes_pkey;
ALTER TABLE availability_probes ADD PRIMARY KEY (service_id, at);
ALTER TABLE availability_probes DROP COLUMN location;
