-- +goose Up
-- SCIM provisioning and account self-service. A user provisioned by an
-- identity provider keeps the provider's externalId and the parts of their
-- name; deactivated_at is when they were last deactivated (SCIM
-- active=false or DELETE, or an admin disabling them).
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN given_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN deactivated_at TEXT;
-- A user DELETEd over SCIM is kept (the trail names them) but no longer
-- served by SCIM.
ALTER TABLE users ADD COLUMN scim_deleted INTEGER NOT NULL DEFAULT 0;

-- An API token may only read (GET) or read and write.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read_write' CHECK (scope IN ('read_only', 'read_write'));

-- The organisation's SCIM bearer token (only its SHA-256 hash), one per
-- organisation; rotating replaces it.
CREATE TABLE scim_tokens (
    org_id     INTEGER PRIMARY KEY REFERENCES organizations (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    prefix     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Groups pushed by the identity provider, and their members.
CREATE TABLE scim_groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES organizations (id),
    display_name TEXT NOT NULL,
    external_id  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (org_id, display_name)
);

CREATE TABLE scim_group_members (
    group_id INTEGER NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);

-- The admin's mapping of a group (by its display name) to an Assay role:
-- a member of mapped groups gets the highest of their roles.
CREATE TABLE scim_group_roles (
    org_id       INTEGER NOT NULL REFERENCES organizations (id),
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'auditor', 'viewer', 'employee')),
    PRIMARY KEY (org_id, display_name)
);

-- Single-use links sent by e-mail: a password reset or an invitation
-- (only the SHA-256 hash of the secret).
CREATE TABLE user_links (
    token_hash TEXT NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64),
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'invite')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX user_links_by_user ON user_links (user_id);

-- +goose Down
DROP TABLE user_links;
DROP TABLE scim_group_roles;
DROP TABLE scim_group_members;
DROP TABLE scim_groups;
DROP TABLE scim_tokens;
ALTER TABLE api_tokens DROP COLUMN scope;
ALTER TABLE users DROP COLUMN scim_deleted;
ALTER TABLE users DROP COLUMN deactivated_at;
ALTER TABLE users DROP COLUMN family_name;
ALTER TABLE users DROP COLUMN given_name;
ALTER TABLE users DROP COLUMN external_id;
