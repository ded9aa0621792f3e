-- +goose Up
-- Single sign-on: each organisation's identity provider settings (the OIDC
-- client secret sealed with the secret key before it arrives here; lists
-- and the group-to-role mapping as JSON), the link between a user and
-- their identity at the provider (protocol and subject), and the SAML
-- assertion ids already accepted, kept until their NotOnOrAfter so that a
-- replayed assertion is refused on every instance.
CREATE TABLE sso_settings (
    org_id              INTEGER PRIMARY KEY REFERENCES organizations (id),
    protocol            TEXT NOT NULL CHECK (protocol IN ('', 'oidc', 'saml')),
    provider_name       TEXT NOT NULL DEFAULT '',
    issuer              TEXT NOT NULL DEFAULT '',
    client_id           TEXT NOT NULL DEFAULT '',
    client_secret       BLOB,
    scopes              TEXT NOT NULL DEFAULT '[]',
    saml_metadata_url   TEXT NOT NULL DEFAULT '',
    saml_metadata_xml   TEXT NOT NULL DEFAULT '',
    groups_claim        TEXT NOT NULL DEFAULT '',
    default_role        TEXT NOT NULL,
    refuse_unmapped     INTEGER NOT NULL DEFAULT 0,
    role_map            TEXT NOT NULL DEFAULT '{}',
    allowed_domains     TEXT NOT NULL DEFAULT '[]',
    sso_only            INTEGER NOT NULL DEFAULT 0,
    break_glass_user_id INTEGER REFERENCES users (id),
    updated_at          TEXT NOT NULL
);

CREATE TABLE sso_identities (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    protocol   TEXT NOT NULL CHECK (protocol IN ('oidc', 'saml')),
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, protocol, subject)
);
CREATE INDEX sso_identities_by_user ON sso_identities (user_id);

CREATE TABLE saml_assertions (
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    assertion_id    TEXT NOT NULL,
    not_on_or_after TEXT NOT NULL,
    PRIMARY KEY (org_id, assertion_id)
);

-- +goose Down
DROP TABLE saml_assertions;
DROP TABLE sso_identities;
DROP TABLE sso_settings;
