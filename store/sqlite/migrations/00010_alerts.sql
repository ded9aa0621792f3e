-- +goose Up
-- Alert channels: where news of failing and recovered checks is sent. The
-- secrets (a webhook's signing key, a Slack URL, an SMTP password) are
-- sealed with AES-GCM before they reach this table; secret_keys names the
-- secrets that are set, so pages can say "set" without opening them.
CREATE TABLE alert_channels (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES organizations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
    name          TEXT NOT NULL,
    settings_json TEXT NOT NULL DEFAULT '{}',
    secrets       BLOB,
    secret_keys   TEXT NOT NULL DEFAULT '[]',
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name)
);

-- One message sent (or tried) to one channel, for one run.
CREATE TABLE alert_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    uid         TEXT NOT NULL UNIQUE,
    run_id      INTEGER NOT NULL DEFAULT 0,
    source_id   INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    events      INTEGER NOT NULL DEFAULT 0,
    summary     TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, channel_id) REFERENCES alert_channels (org_id, id)
);
CREATE INDEX alert_deliveries_by_org ON alert_deliveries (org_id, id);

-- The events (a check turning red or green on a resource at a time) each
-- channel has been sent or is being sent: the key is unique per channel,
-- so an event is never delivered twice, however often it is notified.
CREATE TABLE alert_events (
    org_id      INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    event_key   TEXT NOT NULL,
    delivery_id INTEGER NOT NULL,
    PRIMARY KEY (org_id, channel_id, event_key),
    FOREIGN KEY (org_id, delivery_id) REFERENCES alert_deliveries (org_id, id)
);
CREATE INDEX alert_events_by_delivery ON alert_events (org_id, delivery_id);

-- +goose Down
DROP TABLE alert_events;
DROP TABLE alert_deliveries;
DROP TABLE alert_channels;
