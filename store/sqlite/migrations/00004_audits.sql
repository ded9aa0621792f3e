-- +goose Up
-- An audit engagement. scope_json is the snapshot of the scope taken when
-- the engagement was created; the trigger below refuses any change to it.
CREATE TABLE audits (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    type            TEXT NOT NULL CHECK (type IN ('type_1', 'type_2')),
    name            TEXT NOT NULL,
    firm            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'fieldwork', 'reporting', 'closed')),
    as_of           TEXT,
    period_start    TEXT,
    period_end      TEXT,
    scope_json      TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, id),
    CHECK ((type = 'type_1') = (as_of IS NOT NULL)),
    CHECK ((type = 'type_2') = (period_start IS NOT NULL AND period_end IS NOT NULL)),
    CHECK (period_end IS NULL OR period_end >= period_start)
);
CREATE INDEX audits_by_org ON audits (org_id);

-- +goose StatementBegin
CREATE TRIGGER audits_scope_frozen BEFORE UPDATE ON audits
WHEN NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id OR NEW.type IS NOT OLD.type
  OR NEW.scope_json IS NOT OLD.scope_json OR NEW.as_of IS NOT OLD.as_of
  OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'an audit''s type, period and frozen scope never change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audits_no_delete BEFORE DELETE ON audits
BEGIN
    SELECT RAISE(ABORT, 'audits are never deleted');
END;
-- +goose StatementEnd

-- A sample drawn from a population: append-only.
CREATE TABLE audit_samples (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL,
    audit_id          INTEGER NOT NULL,
    population        TEXT NOT NULL,
    control_id        TEXT NOT NULL DEFAULT '',
    population_size   INTEGER NOT NULL CHECK (population_size >= 0),
    population_digest TEXT NOT NULL CHECK (length(population_digest) = 64),
    cutoff_seq        INTEGER NOT NULL,
    seed              TEXT NOT NULL,
    size              INTEGER NOT NULL CHECK (size > 0),
    keys_json         TEXT NOT NULL,
    created_by_name   TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    FOREIGN KEY (org_id, audit_id) REFERENCES audits (org_id, id)
);
CREATE INDEX audit_samples_by_audit ON audit_samples (org_id, audit_id);

-- +goose StatementBegin
CREATE TRIGGER audit_samples_no_update BEFORE UPDATE ON audit_samples
BEGIN
    SELECT RAISE(ABORT, 'samples are never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_samples_no_delete BEFORE DELETE ON audit_samples
BEGIN
    SELECT RAISE(ABORT, 'samples are never deleted');
END;
-- +goose StatementEnd

-- Auditors invited for one engagement, with an access expiry.
ALTER TABLE users ADD COLUMN engagement_id INTEGER REFERENCES audits (id);
ALTER TABLE users ADD COLUMN access_expires_at TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN access_expires_at;
ALTER TABLE users DROP COLUMN engagement_id;
DROP TRIGGER audit_samples_no_delete;
DROP TRIGGER audit_samples_no_update;
DROP TABLE audit_samples;
DROP TRIGGER audits_no_delete;
DROP TRIGGER audits_scope_frozen;
DROP TABLE audits;
