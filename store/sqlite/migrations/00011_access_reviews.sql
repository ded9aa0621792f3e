-- +goose Up
-- Access review campaigns: systems (each reviewed by its owner), the
-- accounts on them and the decision on each.
CREATE TABLE access_reviews (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id            INTEGER NOT NULL REFERENCES organizations (id),
    name              TEXT NOT NULL,
    period            TEXT NOT NULL,
    due_date          TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'completed')),
    created_by_name   TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    completed_at      TEXT,
    completed_by_name TEXT NOT NULL DEFAULT '',
    evidence_id       INTEGER,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);

CREATE TABLE access_review_systems (
    org_id    INTEGER NOT NULL,
    review_id INTEGER NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL, -- lower-case name
    owner_id  INTEGER REFERENCES users (id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (org_id, review_id, name_key),
    FOREIGN KEY (org_id, review_id) REFERENCES access_reviews (org_id, id) ON DELETE CASCADE
);

CREATE TABLE access_review_accounts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL,
    review_id       INTEGER NOT NULL,
    system          TEXT NOT NULL,
    account         TEXT NOT NULL,
    account_key     TEXT NOT NULL, -- lower-case system, U+001F, lower-case account
    email           TEXT NOT NULL DEFAULT '',
    privileges      TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL CHECK (source IN ('roster', 'postgres', 'csv')),
    person_id       INTEGER,
    flag            TEXT NOT NULL DEFAULT '' CHECK (flag IN ('', 'departed', 'no_person')),
    decision        TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'keep', 'change', 'revoke')),
    reason          TEXT NOT NULL DEFAULT '',
    decided_by      INTEGER REFERENCES users (id),
    decided_by_name TEXT NOT NULL DEFAULT '',
    decided_at      TEXT,
    corrective_id   INTEGER,
    UNIQUE (org_id, review_id, account_key),
    FOREIGN KEY (org_id, review_id) REFERENCES access_reviews (org_id, id) ON DELETE CASCADE,
    CHECK ((decision = '') = (decided_at IS NULL))
);
CREATE INDEX access_review_accounts_by_review ON access_review_accounts (org_id, review_id, decision);

-- Calendar feed tokens: only the hash of the secret is kept.
CREATE TABLE calendar_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL REFERENCES organizations (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    prefix     TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX calendar_tokens_by_user ON calendar_tokens (org_id, user_id);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE access_review_accounts;
DROP TABLE access_review_systems;
DROP TABLE access_reviews;
