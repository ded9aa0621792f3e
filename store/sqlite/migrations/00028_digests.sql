-- +goose Up
-- Reminder digests. The organisation's defaults (one row once an admin
-- saves them; opt_out is a comma-separated list of kinds).
CREATE TABLE digest_settings (
    org_id     INTEGER PRIMARY KEY REFERENCES organizations (id),
    frequency  TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'off')),
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    timezone   TEXT NOT NULL DEFAULT '',
    opt_out    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

-- A user's own choices: an empty frequency and a NULL weekday follow the
-- organisation.
CREATE TABLE digest_prefs (
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    frequency  TEXT NOT NULL DEFAULT '' CHECK (frequency IN ('', 'daily', 'weekly', 'off')),
    weekday    INTEGER CHECK (weekday BETWEEN 0 AND 6),
    opt_out    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);

-- The key that signs unsubscribe links, sealed with the server's secret key.
CREATE TABLE digest_keys (
    org_id     INTEGER PRIMARY KEY REFERENCES organizations (id),
    sealed     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One row per user and period, claimed before the mail is sent: two
-- servers (or a restart) never send a period twice.
CREATE TABLE digest_sends (
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    period      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    items       INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (org_id, user_id, period)
);

-- +goose Down
DROP TABLE digest_sends;
DROP TABLE digest_keys;
DROP TABLE digest_prefs;
DROP TABLE digest_settings;
