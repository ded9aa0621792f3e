-- +goose Up
-- Multi-factor sign-in: each user's TOTP secret (sealed with the secret key
-- before it arrives here, bound to the organisation and the user) with the
-- last time step a code was accepted at, so a code works once; their
-- recovery codes (only SHA-256 hashes, each deleted when used); the
-- organisation's policy of who must have MFA; and the stage a session is
-- at while its second factor is asked for or enrolled ('' is a full
-- session).
CREATE TABLE user_mfa (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    totp_sealed BLOB NOT NULL,
    last_step   INTEGER NOT NULL DEFAULT 0,
    enrolled_at TEXT NOT NULL
);

CREATE TABLE mfa_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_policies (
    org_id       INTEGER PRIMARY KEY REFERENCES organizations (id),
    required_for TEXT NOT NULL CHECK (required_for IN ('nobody', 'admins', 'admins_auditors', 'everyone')),
    updated_at   TEXT NOT NULL
);

ALTER TABLE sessions ADD COLUMN mfa_stage TEXT NOT NULL DEFAULT '' CHECK (mfa_stage IN ('', 'code', 'enrol'));

-- Passkeys (WebAuthn credentials) a user signs in with as a second factor:
-- the public key and sign count as go-webauthn's Credential in JSON
-- (nothing secret), keyed by the credential's id (base64url).
CREATE TABLE passkeys (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    credential_id   TEXT NOT NULL UNIQUE,
    credential_json TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- +goose Down
DROP TABLE passkeys;
ALTER TABLE sessions DROP COLUMN mfa_stage;
DROP TABLE mfa_policies;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
