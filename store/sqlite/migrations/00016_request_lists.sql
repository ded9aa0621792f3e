-- +goose Up
-- Evidence requests become an auditor's request list: a request may belong
-- to an engagement, carry the auditor's own reference (unique within the
-- engagement), and stand for one sampled item. "rejected" is renamed
-- "returned", the word auditors use for a submission sent back. SQLite
-- cannot change a CHECK constraint in place, so the request tables are
-- rebuilt (the items first, as they refer to the requests).
CREATE TABLE evidence_request_items_old AS SELECT * FROM evidence_request_items;
DROP TABLE evidence_request_items;

CREATE TABLE evidence_requests_rebuilt (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    control_id        TEXT NOT NULL,
    requested_by      INTEGER REFERENCES users (id),
    requested_by_name TEXT NOT NULL,
    assignee_id       INTEGER NOT NULL REFERENCES users (id),
    due_date          TEXT NOT NULL,
    description       TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'submitted', 'accepted', 'returned')),
    response          TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL DEFAULT '',
    decided_by        INTEGER REFERENCES users (id),
    decided_by_name   TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    submitted_at      TEXT,
    decided_at        TEXT,
    audit_id          INTEGER,
    reference         TEXT NOT NULL DEFAULT '',
    sample_id         INTEGER,
    sample_item       TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls (org_id, id),
    FOREIGN KEY (org_id, audit_id) REFERENCES audits (org_id, id),
    FOREIGN KEY (sample_id) REFERENCES audit_samples (id)
);
INSERT INTO evidence_requests_rebuilt (id, org_id, control_id, requested_by, requested_by_name, assignee_id, due_date, description,
    status, response, reason, decided_by, decided_by_name, created_at, updated_at, submitted_at, decided_at)
    SELECT id, org_id, control_id, requested_by, requested_by_name, assignee_id, due_date, description,
        CASE status WHEN 'rejected' THEN 'returned' ELSE status END, response, reason, decided_by, decided_by_name,
        created_at, updated_at, submitted_at, decided_at
    FROM evidence_requests;
DROP TABLE evidence_requests;
ALTER TABLE evidence_requests_rebuilt RENAME TO evidence_requests;
CREATE INDEX evidence_requests_by_control ON evidence_requests (org_id, control_id);
CREATE INDEX evidence_requests_by_assignee ON evidence_requests (org_id, assignee_id);
CREATE INDEX evidence_requests_by_audit ON evidence_requests (org_id, audit_id);
CREATE UNIQUE INDEX evidence_requests_reference ON evidence_requests (org_id, audit_id, reference) WHERE reference <> '';

CREATE TABLE evidence_request_items (
    org_id       INTEGER NOT NULL,
    request_id   INTEGER NOT NULL,
    evidence_id  INTEGER NOT NULL,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (org_id, request_id, evidence_id),
    FOREIGN KEY (org_id, request_id) REFERENCES evidence_requests (org_id, id),
    FOREIGN KEY (org_id, evidence_id) REFERENCES evidence_items (org_id, id)
);
INSERT INTO evidence_request_items SELECT org_id, request_id, evidence_id, submitted_at FROM evidence_request_items_old;
DROP TABLE evidence_request_items_old;

-- The thread between the auditor (or whoever asked) and the person who
-- answers, one row per comment.
CREATE TABLE evidence_request_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    request_id  INTEGER NOT NULL,
    author_id   INTEGER REFERENCES users (id),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (length(body) > 0),
    created_at  TEXT NOT NULL,
    FOREIGN KEY (org_id, request_id) REFERENCES evidence_requests (org_id, id)
);
CREATE INDEX evidence_request_comments_by_request ON evidence_request_comments (org_id, request_id);

-- +goose Down
DROP TABLE evidence_request_comments;
DROP INDEX evidence_requests_reference;
DROP INDEX evidence_requests_by_audit;
UPDATE evidence_requests SET status = 'open' WHERE status = 'returned';
