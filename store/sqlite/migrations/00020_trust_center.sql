-- +goose Up
-- The public trust center: what the admin chose to show (one JSON document
-- per organisation), the documents offered (blobs named by their SHA-256),
-- visitors' requests for them with the NDA version accepted and the
-- download link (only its hash is kept), each download, and the signed
-- snapshots of what the page said.
CREATE TABLE trust_settings (
    org_id        INTEGER PRIMARY KEY REFERENCES organizations (id),
    enabled       INTEGER NOT NULL DEFAULT 0,
    settings_json TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE trust_documents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    filename        TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL CHECK (size >= 0),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    nda             INTEGER NOT NULL DEFAULT 1,
    published       INTEGER NOT NULL DEFAULT 1,
    created_by_name TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (org_id, id)
);

CREATE TABLE trust_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL,
    document_id     INTEGER NOT NULL,
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    company         TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    nda_version     TEXT NOT NULL,
    nda_accepted_at TEXT NOT NULL,
    client_addr     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at      TEXT,
    token_hash      TEXT UNIQUE,
    expires_at      TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, document_id) REFERENCES trust_documents (org_id, id)
);
CREATE INDEX trust_requests_by_org ON trust_requests (org_id, status);

CREATE TABLE trust_downloads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    request_id  INTEGER NOT NULL,
    at          TEXT NOT NULL,
    client_addr TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (org_id, request_id) REFERENCES trust_requests (org_id, id)
);
CREATE INDEX trust_downloads_by_request ON trust_downloads (org_id, request_id);

CREATE TABLE trust_snapshots (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id         INTEGER NOT NULL REFERENCES organizations (id),
    payload_sha256 TEXT NOT NULL CHECK (length(payload_sha256) = 64),
    document       TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX trust_snapshots_by_org ON trust_snapshots (org_id, id);

-- +goose Down
DROP TABLE trust_snapshots;
DROP TABLE trust_downloads;
DROP TABLE trust_requests;
DROP TABLE trust_documents;
DROP TABLE trust_settings;
