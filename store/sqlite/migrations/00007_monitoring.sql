-- +goose Up
-- Continuous monitoring. Sources are configured connections; their secrets
-- are sealed by Assay before they arrive here.
CREATE TABLE monitor_sources (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    settings_json     TEXT NOT NULL,
    secret_names_json TEXT NOT NULL,
    secrets           BLOB,
    interval_minutes  INTEGER NOT NULL CHECK (interval_minutes BETWEEN 5 AND 10080),
    enabled           INTEGER NOT NULL,
    next_run_at       TEXT NOT NULL,
    last_run_at       TEXT,
    last_status       TEXT NOT NULL DEFAULT '',
    last_error        TEXT NOT NULL DEFAULT '',
    input_hash        TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (org_id, name),
    UNIQUE (org_id, id)
);
CREATE INDEX monitor_sources_due ON monitor_sources (enabled, next_run_at);

-- One row per run: the summary.
CREATE TABLE monitor_runs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL,
    source_id  INTEGER NOT NULL,
    run_trigger TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    error      TEXT NOT NULL DEFAULT '',
    resources  INTEGER NOT NULL,
    pass       INTEGER NOT NULL,
    fail       INTEGER NOT NULL,
    errors     INTEGER NOT NULL,
    digest     TEXT NOT NULL,
    snapshot   TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (org_id, source_id) REFERENCES monitor_sources (org_id, id)
);
CREATE INDEX monitor_runs_by_source ON monitor_runs (org_id, source_id, id);

-- Interned check ids: history refers to checks by key.
CREATE TABLE monitor_checks (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id   INTEGER NOT NULL,
    check_id TEXT NOT NULL,
    UNIQUE (org_id, check_id)
);

-- Interned resources, one per (source, resource id), with the current
-- status of every check on it in a compact blob (see monitor_state.go).
-- resource_id '' is the source itself (collector errors).
CREATE TABLE monitor_resources (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    source_id   INTEGER NOT NULL,
    resource_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    first_seen  INTEGER NOT NULL,
    gone_at     INTEGER,
    state       BLOB NOT NULL,
    UNIQUE (org_id, source_id, resource_id)
);

-- Failure reasons, stored once each, keyed by a hash of their text (the
-- first 63 bits of SHA-256); the state and transitions refer to the key.
CREATE TABLE monitor_reasons (
    org_id INTEGER NOT NULL,
    hash   INTEGER NOT NULL,
    text   TEXT NOT NULL,
    PRIMARY KEY (org_id, hash)
) WITHOUT ROWID;

-- Status changes per (check, resource), clustered by check and time so a
-- run appends at the end of each check's range. at is Unix seconds; status is
-- 0 gone, 1 pass, 2 fail, 3 error; reason_key 0 is no reason, else monitor_reasons.hash.
CREATE TABLE monitor_transitions (
    org_id       INTEGER NOT NULL,
    check_key    INTEGER NOT NULL,
    resource_key INTEGER NOT NULL,
    run_id       INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    status       INTEGER NOT NULL,
    reason_key   INTEGER NOT NULL,
    PRIMARY KEY (org_id, check_key, at, resource_key, run_id)
) WITHOUT ROWID;

-- Results per check and UTC day (day: days since 1970-01-01), summed over
-- the day's runs: the Monitoring page's grid.
CREATE TABLE monitor_check_days (
    org_id     INTEGER NOT NULL,
    check_key  INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    pass       INTEGER NOT NULL,
    fail       INTEGER NOT NULL,
    error      INTEGER NOT NULL,
    reason_key INTEGER NOT NULL,
    PRIMARY KEY (org_id, check_key, day)
) WITHOUT ROWID;

-- Current per-resource counts per (source, check), replaced by each run.
CREATE TABLE monitor_source_checks (
    org_id    INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    check_key INTEGER NOT NULL,
    pass      INTEGER NOT NULL,
    fail      INTEGER NOT NULL,
    error     INTEGER NOT NULL,
    PRIMARY KEY (org_id, source_id, check_key)
) WITHOUT ROWID;

-- Findings: ids are assigned by Assay under the writers' lock, so a run can
-- link each new finding and its corrective action without a second write.
CREATE TABLE monitor_findings (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL,
    check_key            INTEGER NOT NULL,
    check_id             TEXT NOT NULL,
    source_id            INTEGER NOT NULL,
    resource_key         INTEGER NOT NULL,
    resource_id          TEXT NOT NULL,
    resource_name        TEXT NOT NULL,
    severity             TEXT NOT NULL,
    controls_json        TEXT NOT NULL,
    owner_id             INTEGER,
    reason               TEXT NOT NULL,
    opened_at            TEXT NOT NULL,
    closed_at            TEXT,
    opened_run_id        INTEGER NOT NULL,
    closed_run_id        INTEGER,
    corrective_action_id INTEGER NOT NULL
);
CREATE INDEX monitor_findings_open ON monitor_findings (org_id, source_id, closed_at);

CREATE TABLE monitor_custom_checks (
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    id            TEXT NOT NULL,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    expr          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    remediation   TEXT NOT NULL,
    controls_json TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);

-- +goose Down
DROP TABLE monitor_custom_checks;
DROP TABLE monitor_findings;
DROP TABLE monitor_source_checks;
DROP TABLE monitor_check_days;
DROP TABLE monitor_transitions;
DROP TABLE monitor_reasons;
DROP TABLE monitor_resources;
DROP TABLE monitor_checks;
DROP TABLE monitor_runs;
DROP TABLE monitor_sources;
