-- +goose Up
-- The report package of an engagement: management's sign-offs of its
-- assertion and system description (with the SHA-256 of the text signed),
-- the auditor's draft and final report (blobs named by their SHA-256), and
-- the comments on a draft, tracked to resolution.
CREATE TABLE audit_signoffs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL,
    audit_id         INTEGER NOT NULL,
    document         TEXT NOT NULL CHECK (document IN ('assertion', 'description')),
    digest           TEXT NOT NULL CHECK (length(digest) = 64),
    signer_user_id   INTEGER,
    signer_name      TEXT NOT NULL,
    signer_title     TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    FOREIGN KEY (org_id, audit_id) REFERENCES audits (org_id, id)
);
CREATE INDEX audit_signoffs_by_audit ON audit_signoffs (org_id, audit_id);

CREATE TABLE audit_report_files (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL,
    audit_id         INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('draft', 'final')),
    filename         TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    size             INTEGER NOT NULL CHECK (size >= 0),
    digest           TEXT NOT NULL CHECK (length(digest) = 64),
    uploaded_by_name TEXT NOT NULL,
    uploaded_at      TEXT NOT NULL,
    FOREIGN KEY (org_id, audit_id) REFERENCES audits (org_id, id)
);
CREATE INDEX audit_report_files_by_audit ON audit_report_files (org_id, audit_id);

CREATE TABLE audit_report_comments (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL,
    audit_id         INTEGER NOT NULL,
    file_id          INTEGER NOT NULL REFERENCES audit_report_files (id),
    body             TEXT NOT NULL,
    author_name      TEXT NOT NULL,
    author_role      TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    resolved_at      TEXT,
    resolved_by_name TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (org_id, audit_id) REFERENCES audits (org_id, id)
);
CREATE INDEX audit_report_comments_by_audit ON audit_report_comments (org_id, audit_id);

-- +goose Down
DROP TABLE audit_report_comments;
DROP TABLE audit_report_files;
DROP TABLE audit_signoffs;
