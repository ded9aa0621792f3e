-- +goose Up
-- The risk register. Scores are likelihood x impact (1-5 each), inherent
-- and residual. An accepted risk names its approver and an expiry date.
CREATE TABLE risks (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id              INTEGER NOT NULL REFERENCES organizations (id),
    category            TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    owner_id            INTEGER REFERENCES users (id),
    likelihood          INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    residual_likelihood INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact     INTEGER NOT NULL CHECK (residual_impact BETWEEN 1 AND 5),
    treatment           TEXT NOT NULL CHECK (treatment IN ('mitigate', 'accept', 'transfer', 'avoid')),
    approver_id         INTEGER REFERENCES users (id),
    accept_expires      TEXT,
    controls_json       TEXT NOT NULL DEFAULT '[]',
    review_date         TEXT,
    status              TEXT NOT NULL CHECK (status IN ('open', 'treated', 'closed')),
    template_id         TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (treatment <> 'accept' OR (approver_id IS NOT NULL AND accept_expires IS NOT NULL))
);
CREATE INDEX risks_by_org ON risks (org_id);

-- The yearly risk assessment: its approval and the register's counts then.
CREATE TABLE risk_assessments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    date            TEXT NOT NULL,
    summary         TEXT NOT NULL,
    approver_id     INTEGER NOT NULL REFERENCES users (id),
    risks           INTEGER NOT NULL,
    open_risks      INTEGER NOT NULL,
    high_residual   INTEGER NOT NULL,
    accepted        INTEGER NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX risk_assessments_by_org ON risk_assessments (org_id, date);

-- Vendors, their tier override, SOC 2 report, contract clauses and the
-- latest security review (earlier reviews are in the activity trail).
CREATE TABLE vendors (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id               INTEGER NOT NULL REFERENCES organizations (id),
    name                 TEXT NOT NULL,
    services             TEXT NOT NULL DEFAULT '',
    data_shared          TEXT NOT NULL DEFAULT '',
    classification       TEXT NOT NULL CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
    criticality          TEXT NOT NULL CHECK (criticality IN ('low', 'medium', 'high')),
    owner_id             INTEGER REFERENCES users (id),
    contract_start       TEXT,
    contract_end         TEXT,
    subprocessor         INTEGER NOT NULL DEFAULT 0,
    tier_override        TEXT NOT NULL DEFAULT '' CHECK (tier_override IN ('', 'low', 'medium', 'high')),
    tier_override_reason TEXT NOT NULL DEFAULT '',
    soc2_evidence_id     INTEGER,
    soc2_period_end      TEXT,
    clauses_json         TEXT NOT NULL DEFAULT '[]',
    reviewed_at          TEXT,
    review_score         INTEGER NOT NULL DEFAULT 0,
    review_answers_json  TEXT NOT NULL DEFAULT '{}',
    reviewer_name        TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (org_id, name),
    CHECK (tier_override = '' OR tier_override_reason <> '')
);

-- +goose Down
DROP TABLE vendors;
DROP TABLE risk_assessments;
DROP TABLE risks;
