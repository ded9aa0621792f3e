-- +goose Up
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    scope_json  TEXT NOT NULL,
    system_json TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'member', 'auditor', 'viewer')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    last_login_at TEXT
);
CREATE INDEX users_by_org ON users (org_id);

CREATE TABLE controls (
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    id              TEXT NOT NULL,
    family          TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    owner_role      TEXT NOT NULL,
    frequency       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    automation      TEXT NOT NULL DEFAULT '',
    automation_note TEXT NOT NULL DEFAULT '',
    custom          INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'implemented', 'not_applicable')),
    justification   TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES users (id),
    notes           TEXT NOT NULL DEFAULT '',
    search_text     TEXT NOT NULL DEFAULT '', -- id, family, name, description folded to lower case (by Assay)
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);
CREATE INDEX controls_by_owner ON controls (org_id, owner_id);

CREATE TABLE control_criteria (
    org_id       INTEGER NOT NULL,
    control_id   TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    PRIMARY KEY (org_id, control_id, criterion_id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id) ON DELETE CASCADE
);
CREATE INDEX control_criteria_by_criterion ON control_criteria (org_id, criterion_id);

-- The audit trail. Append-only: the triggers below refuse updates and
-- deletes. seq orders every entry of the database and is the leaf index of
-- the tamper-evident log built on it.
CREATE TABLE activity (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    at            TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_name    TEXT NOT NULL,
    actor_via     TEXT NOT NULL,
    action        TEXT NOT NULL,
    object_type   TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    summary       TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX activity_by_org ON activity (org_id, seq);
CREATE INDEX activity_by_object ON activity (org_id, object_type, object_id, seq);

-- +goose StatementBegin
CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN
    SELECT RAISE(ABORT, 'activity is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
-- INSERT OR REPLACE deletes the old row without firing delete triggers
-- (unless recursive_triggers is on), so refuse reusing a seq outright.
CREATE TRIGGER activity_no_replace BEFORE INSERT ON activity
WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM activity WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'activity is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN
    SELECT RAISE(ABORT, 'activity is append-only');
END;
-- +goose StatementEnd

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organizations (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT,
    revoked_at   TEXT
);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- +goose Down
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE activity;
DROP TABLE control_criteria;
DROP TABLE controls;
DROP TABLE users;
DROP TABLE organizations;
