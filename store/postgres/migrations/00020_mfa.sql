-- +goose Up
-- Multi-factor sign-in: each user's TOTP secret (sealed with the secret key
-- before it arrives here, bound to the organisation and the user) with the
-- last time step a code was accepted at, so a code works once; their
-- recovery codes (only SHA-256 hashes, each deleted when used); the
-- organisation's policy of who must have MFA; and the stage a session is
-- at while its second factor is asked for or enrolled ('' is a full
-- session).
CREATE TABLE user_mfa (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES organizations (id),
    totp_sealed BYTEA NOT NULL,
    last_step   BIGINT NOT NULL DEFAULT 0,
    enrolled_at TEXT NOT NULL
);

CREATE TABLE mfa_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL CHECK (length(code_hash) = 64),
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_policies (
    org_id       BIGINT PRIMARY KEY REFERENCES organizations (id),
    required_for TEXT NOT NULL CHECK (required_for IN ('nobody', 'admins', 'admins_auditors', 'everyone')),
    updated_at   TEXT NOT NULL
);

ALTER TABLE sessions ADD COLUMN mfa_stage TEXT NOT NULL DEFAULT '' CHECK (mfa_stage IN ('', 'code', 'enrol'));

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_stage;
DROP TABLE mfa_policies;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
