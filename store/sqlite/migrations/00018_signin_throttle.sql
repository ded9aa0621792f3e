-- +goose Up
-- Sign-in throttling, shared by every instance through the database: the
-- failures of each (account, client address) pair, keyed by a SHA-256 of
-- the two so that the table names neither, with the pair's last success
-- (a pair that signed in before is known); and the failures of each
-- minute across all pairs, for the global ceiling.
CREATE TABLE signin_pairs (
    pair_hash    TEXT NOT NULL PRIMARY KEY CHECK (length(pair_hash) = 64),
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    failed_at    TEXT,
    succeeded_at TEXT,
    noted_at     TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX signin_pairs_by_updated ON signin_pairs (updated_at);

CREATE TABLE signin_minutes (
    minute   INTEGER NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0)
);

-- The address an API token was last used from, to say when it is used from
-- a new one.
ALTER TABLE api_tokens ADD COLUMN last_used_addr TEXT;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN last_used_addr;
DROP TABLE signin_minutes;
DROP TABLE signin_pairs;
