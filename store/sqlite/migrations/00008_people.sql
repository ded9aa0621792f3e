-- +goose Up
-- Employees sign in to the portal: widen the role check of users. SQLite
-- cannot alter a CHECK constraint, and rebuilding users would rewrite every
-- foreign key to it; loosening a CHECK does not change how rows are stored,
-- so the table's definition is edited in place (the documented procedure)
-- and the schema reloaded.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''viewer'')', '''viewer'', ''employee'')') WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

-- The roster: people by e-mail address (stored lower-case), dates as YYYY-MM-DD.
CREATE TABLE people (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    email           TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    manager_email   TEXT NOT NULL DEFAULT '',
    start_date      TEXT,
    end_date        TEXT,
    employment_type TEXT NOT NULL CHECK (employment_type IN ('employee', 'contractor', 'intern')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, email)
);

-- Onboarding and offboarding checklist items, one per person, kind and key.
CREATE TABLE checklist_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('onboarding', 'offboarding')),
    item_key     TEXT NOT NULL,
    title        TEXT NOT NULL,
    assignee     TEXT NOT NULL CHECK (assignee IN ('admin', 'employee', 'system')),
    due_date     TEXT,
    done         INTEGER NOT NULL DEFAULT 0,
    done_at      TEXT,
    done_by_name TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (org_id, person_id, kind, item_key),
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
    CHECK ((done = 1) = (done_at IS NOT NULL))
);

-- Training courses; name_key is the lower-case name, unique per organisation.
CREATE TABLE training_courses (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL REFERENCES organizations (id),
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,
    link             TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    renewal_months   INTEGER NOT NULL CHECK (renewal_months >= 0),
    attestation      TEXT NOT NULL,
    required_at_hire INTEGER NOT NULL DEFAULT 0,
    security         INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, name_key)
);

CREATE TABLE training_assignments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL,
    course_id    INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    due_date     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'in_progress', 'completed')),
    started_at   TEXT,
    completed_at TEXT,
    evidence     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    UNIQUE (org_id, id),
    UNIQUE (org_id, course_id, person_id),
    FOREIGN KEY (org_id, course_id) REFERENCES training_courses (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES people (org_id, id),
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX training_assignments_by_person ON training_assignments (org_id, person_id);

-- Completion evidence: every attested or imported completion, append-only.
CREATE TABLE training_completions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id           INTEGER NOT NULL,
    assignment_id    INTEGER NOT NULL,
    completed_at     TEXT NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('attested', 'imported')),
    attestation      TEXT NOT NULL DEFAULT '',
    recorded_by_name TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    FOREIGN KEY (org_id, assignment_id) REFERENCES training_assignments (org_id, id)
);

-- +goose StatementBegin
CREATE TRIGGER training_completions_no_update BEFORE UPDATE ON training_completions
BEGIN
    SELECT RAISE(ABORT, 'training completions are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER training_completions_no_delete BEFORE DELETE ON training_completions
BEGIN
    SELECT RAISE(ABORT, 'training completions are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER training_completions_no_delete;
DROP TRIGGER training_completions_no_update;
DROP TABLE training_completions;
DROP TABLE training_assignments;
DROP TABLE training_courses;
DROP TABLE checklist_items;
DROP TABLE people;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''viewer'', ''employee'')', '''viewer'')') WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
