-- +goose Up
-- In SQLite a PRIMARY KEY that is not an INTEGER PRIMARY KEY accepts NULL
-- (a documented quirk kept for compatibility); PostgreSQL's never does. The
-- two tables keyed by text are rebuilt with NOT NULL on the key, as they
-- are on PostgreSQL (found by the schema-parity test). Nothing refers to
-- either table, so they can be dropped and renamed in place.
CREATE TABLE sessions_rebuilt (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
INSERT INTO sessions_rebuilt (token_hash, user_id, org_id, csrf_token, created_at, expires_at)
    SELECT token_hash, user_id, org_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash IS NOT NULL;
DROP TABLE sessions;
ALTER TABLE sessions_rebuilt RENAME TO sessions;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE setup_tokens_rebuilt (
    token_hash TEXT NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
INSERT INTO setup_tokens_rebuilt (token_hash, created_at, expires_at, used_at)
    SELECT token_hash, created_at, expires_at, used_at FROM setup_tokens WHERE token_hash IS NOT NULL;
DROP TABLE setup_tokens;
ALTER TABLE setup_tokens_rebuilt RENAME TO setup_tokens;

-- +goose Down
CREATE TABLE setup_tokens_old (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
INSERT INTO setup_tokens_old SELECT token_hash, created_at, expires_at, used_at FROM setup_tokens;
DROP TABLE setup_tokens;
ALTER TABLE setup_tokens_old RENAME TO setup_tokens;

CREATE TABLE sessions_old (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
INSERT INTO sessions_old SELECT token_hash, user_id, org_id, csrf_token, created_at, expires_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_old RENAME TO sessions;
CREATE INDEX sessions_by_user ON sessions (user_id);
