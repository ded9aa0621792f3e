-- +goose Up
-- Evidence items are immutable: the triggers below refuse any change to a
-- row except setting superseded_by once, and refuse deletes. A correction
-- is a new row that supersedes the old one. File evidence points at a blob
-- in the data folder by its SHA-256; the row is written only after the blob
-- is durable.
CREATE TABLE evidence_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('file', 'link', 'note')),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    sha256          TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    size            INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0),
    media_type      TEXT NOT NULL DEFAULT '',
    filename        TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    note_text       TEXT NOT NULL DEFAULT '',
    period_start    TEXT,
    period_end      TEXT,
    valid_days      INTEGER NOT NULL CHECK (valid_days > 0),
    expires_at      TEXT NOT NULL,
    collected_at    TEXT NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    created_by_name TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    superseded_by   INTEGER,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, superseded_by) REFERENCES evidence_items (org_id, id),
    CHECK ((kind = 'file') = (sha256 IS NOT NULL)),
    CHECK (superseded_by IS NULL OR superseded_by <> id)
);
CREATE INDEX evidence_items_by_digest ON evidence_items (sha256);
CREATE INDEX evidence_items_by_superseded ON evidence_items (org_id, superseded_by);

-- +goose StatementBegin
CREATE TRIGGER evidence_items_immutable BEFORE UPDATE ON evidence_items
WHEN OLD.superseded_by IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.org_id IS NOT OLD.org_id OR NEW.kind IS NOT OLD.kind
  OR NEW.title IS NOT OLD.title OR NEW.description IS NOT OLD.description
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size IS NOT OLD.size OR NEW.media_type IS NOT OLD.media_type
  OR NEW.filename IS NOT OLD.filename OR NEW.url IS NOT OLD.url OR NEW.note_text IS NOT OLD.note_text
  OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end
  OR NEW.valid_days IS NOT OLD.valid_days OR NEW.expires_at IS NOT OLD.expires_at
  OR NEW.collected_at IS NOT OLD.collected_at OR NEW.created_by IS NOT OLD.created_by
  OR NEW.created_by_name IS NOT OLD.created_by_name OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'evidence is immutable: supersede it with a new item');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER evidence_items_no_delete BEFORE DELETE ON evidence_items
BEGIN
    SELECT RAISE(ABORT, 'evidence is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
-- INSERT OR REPLACE deletes without firing delete triggers; refuse reusing an id.
CREATE TRIGGER evidence_items_no_replace BEFORE INSERT ON evidence_items
WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM evidence_items WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'evidence is never replaced');
END;
-- +goose StatementEnd

-- Which controls an evidence item supports. Links come and go (attach,
-- detach); the item itself does not change.
CREATE TABLE evidence_controls (
    org_id      INTEGER NOT NULL,
    evidence_id INTEGER NOT NULL,
    control_id  TEXT NOT NULL,
    attached_at TEXT NOT NULL,
    PRIMARY KEY (org_id, evidence_id, control_id),
    FOREIGN KEY (org_id, evidence_id) REFERENCES evidence_items (org_id, id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX evidence_controls_by_control ON evidence_controls (org_id, control_id);

-- An auditor or admin asks for evidence for a control by a date; the
-- assignee answers with evidence; the requester accepts or rejects.
CREATE TABLE evidence_requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    control_id        TEXT NOT NULL,
    requested_by      INTEGER REFERENCES users (id),
    requested_by_name TEXT NOT NULL,
    assignee_id       INTEGER NOT NULL REFERENCES users (id),
    due_date          TEXT NOT NULL,
    description       TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'accepted', 'rejected')),
    response          TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL DEFAULT '',
    decided_by        INTEGER REFERENCES users (id),
    decided_by_name   TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    submitted_at      TEXT,
    decided_at        TEXT,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id)
);
CREATE INDEX evidence_requests_by_control ON evidence_requests (org_id, control_id);
CREATE INDEX evidence_requests_by_assignee ON evidence_requests (org_id, assignee_id);

-- The evidence submitted in answer to a request.
CREATE TABLE evidence_request_items (
    org_id       INTEGER NOT NULL,
    request_id   INTEGER NOT NULL,
    evidence_id  INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (org_id, request_id, evidence_id),
    FOREIGN KEY (org_id, request_id) REFERENCES evidence_requests (org_id, id),
    FOREIGN KEY (org_id, evidence_id) REFERENCES evidence_items (org_id, id)
);

-- +goose Down
DROP TABLE evidence_request_items;
DROP TABLE evidence_requests;
DROP TABLE evidence_controls;
DROP TRIGGER evidence_items_no_replace;
DROP TRIGGER evidence_items_no_delete;
DROP TRIGGER evidence_items_immutable;
DROP TABLE evidence_items;
