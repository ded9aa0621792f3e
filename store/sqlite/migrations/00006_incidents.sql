-- +goose Up
-- Incidents: the lifecycle, the notices owed and the post-incident review.
CREATE TABLE incidents (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id                INTEGER NOT NULL REFERENCES organizations (id),
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL CHECK (status IN ('reported', 'triaged', 'contained', 'resolved', 'closed')),
    severity              TEXT NOT NULL DEFAULT '' CHECK (severity IN ('', 'SEV1', 'SEV2', 'SEV3', 'SEV4')),
    exercise              INTEGER NOT NULL DEFAULT 0,
    personal_data         INTEGER NOT NULL DEFAULT 0,
    customer_data         INTEGER NOT NULL DEFAULT 0,
    customer_notice_hours INTEGER NOT NULL CHECK (customer_notice_hours > 0),
    occurred_at           TEXT NOT NULL,
    detected_at           TEXT NOT NULL,
    reported_at           TEXT NOT NULL,
    contained_at          TEXT,
    resolved_at           TEXT,
    closed_at             TEXT,
    customer_notified_at  TEXT,
    regulator_notified_at TEXT,
    reported_by_name      TEXT NOT NULL,
    review_root_cause     TEXT NOT NULL DEFAULT '',
    review_went_well      TEXT NOT NULL DEFAULT '',
    review_to_improve     TEXT NOT NULL DEFAULT '',
    reviewed_at           TEXT,
    reviewed_by_name      TEXT NOT NULL DEFAULT '',
    updated_at            TEXT NOT NULL,
    UNIQUE (org_id, id),
    CHECK (detected_at >= occurred_at),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL AND reviewed_at IS NOT NULL))
);
CREATE INDEX incidents_by_org ON incidents (org_id, status);

-- The timeline of an incident: append-only.
CREATE TABLE incident_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    incident_id INTEGER NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'status', 'notice', 'review')),
    text        TEXT NOT NULL,
    author_name TEXT NOT NULL,
    FOREIGN KEY (org_id, incident_id) REFERENCES incidents (org_id, id)
);
CREATE INDEX incident_entries_by_incident ON incident_entries (org_id, incident_id);

-- +goose StatementBegin
CREATE TRIGGER incident_entries_no_update BEFORE UPDATE ON incident_entries
BEGIN
    SELECT RAISE(ABORT, 'incident timeline entries are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER incident_entries_no_delete BEFORE DELETE ON incident_entries
BEGIN
    SELECT RAISE(ABORT, 'incident timeline entries are append-only');
END;
-- +goose StatementEnd

-- The corrective action register.
CREATE TABLE corrective_actions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             INTEGER NOT NULL REFERENCES organizations (id),
    source             TEXT NOT NULL CHECK (source IN ('manual', 'incident_review', 'audit_exception', 'failing_check', 'access_review')),
    source_ref         TEXT NOT NULL DEFAULT '',
    incident_id        INTEGER,
    title              TEXT NOT NULL,
    root_cause         TEXT NOT NULL DEFAULT '',
    action             TEXT NOT NULL,
    owner_id           INTEGER REFERENCES users (id),
    due_date           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'verified')),
    verified_by_name   TEXT NOT NULL DEFAULT '',
    verified_at        TEXT,
    verification_notes TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    FOREIGN KEY (org_id, incident_id) REFERENCES incidents (org_id, id),
    CHECK ((status = 'verified') = (verified_at IS NOT NULL))
);
CREATE INDEX corrective_actions_by_org ON corrective_actions (org_id, status);

-- +goose Down
DROP TABLE corrective_actions;
DROP TRIGGER incident_entries_no_delete;
DROP TRIGGER incident_entries_no_update;
DROP TABLE incident_entries;
DROP TABLE incidents;
