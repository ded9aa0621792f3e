-- +goose Up
-- Policies: settings of each adopted policy; the text lives in versions.
CREATE TABLE policies (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL REFERENCES organizations (id),
    template_id      TEXT NOT NULL DEFAULT '',
    title            TEXT NOT NULL,
    controls_json    TEXT NOT NULL DEFAULT '[]',
    owner_id         INTEGER REFERENCES users (id),
    departments_json TEXT NOT NULL DEFAULT '[]',
    employment_json  TEXT NOT NULL DEFAULT '[]',
    review_months    INTEGER NOT NULL DEFAULT 12 CHECK (review_months BETWEEN 1 AND 36),
    reviewed_at      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (org_id, id)
);
CREATE UNIQUE INDEX policies_one_per_template ON policies (org_id, template_id) WHERE template_id <> '';

-- Versions: "major.minor", one open (draft, in review or approved) and one
-- published version per policy at most.
CREATE TABLE policy_versions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL,
    policy_id        INTEGER NOT NULL,
    major            INTEGER NOT NULL CHECK (major >= 1),
    minor            INTEGER NOT NULL CHECK (minor >= 0),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'retired')),
    body             TEXT NOT NULL,
    changelog        TEXT NOT NULL DEFAULT '',
    edited_by_id     INTEGER NOT NULL DEFAULT 0,
    edited_by_name   TEXT NOT NULL,
    edited_at        TEXT NOT NULL,
    approved_by_id   INTEGER NOT NULL DEFAULT 0,
    approved_by_name TEXT NOT NULL DEFAULT '',
    approved_at      TEXT,
    published_at     TEXT,
    retired_at       TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, policy_id, major, minor),
    FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id),
    CHECK (status NOT IN ('approved', 'published', 'retired') OR approved_at IS NOT NULL OR status = 'retired'),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE UNIQUE INDEX policy_versions_one_published ON policy_versions (org_id, policy_id) WHERE status = 'published';
CREATE UNIQUE INDEX policy_versions_one_open ON policy_versions (org_id, policy_id) WHERE status IN ('draft', 'in_review', 'approved');

-- Acceptances: who accepted which published version, when; append-only.
CREATE TABLE policy_acceptances (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    policy_id   INTEGER NOT NULL,
    version_id  INTEGER NOT NULL,
    person_id   INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    by_user_id  INTEGER NOT NULL DEFAULT 0,
    by_name     TEXT NOT NULL,
    UNIQUE (org_id, version_id, person_id),
    FOREIGN KEY (org_id, policy_id) REFERENCES policies (org_id, id),
    FOREIGN KEY (org_id, version_id) REFERENCES policy_versions (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id)
);
CREATE INDEX policy_acceptances_by_person ON policy_acceptances (org_id, person_id);
CREATE INDEX policy_acceptances_by_policy ON policy_acceptances (org_id, policy_id);

-- +goose StatementBegin
CREATE TRIGGER policy_acceptances_no_update BEFORE UPDATE ON policy_acceptances
BEGIN
    SELECT RAISE(ABORT, 'policy acceptances are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER policy_acceptances_no_delete BEFORE DELETE ON policy_acceptances
BEGIN
    SELECT RAISE(ABORT, 'policy acceptances are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER policy_acceptances_no_delete;
DROP TRIGGER policy_acceptances_no_update;
DROP TABLE policy_acceptances;
DROP TABLE policy_versions;
DROP TABLE policies;
