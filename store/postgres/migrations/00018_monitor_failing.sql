-- +goose Up
-- The (check, resource) pairs failing or in error now (status 2 fail, 3
-- error), kept by the runs in step with monitor_resources.state, so
-- readiness reads a summary instead of every resource's state. what is the
-- resource's name, else its id; '' for the source itself (resource_id ''),
-- ordered by bytes as readiness names them.
CREATE TABLE monitor_failing (
    org_id       BIGINT NOT NULL,
    check_key    BIGINT NOT NULL,
    resource_key BIGINT NOT NULL,
    status       BIGINT NOT NULL,
    source_id    BIGINT NOT NULL,
    what         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (org_id, check_key, resource_key)
);
CREATE INDEX monitor_failing_names ON monitor_failing (org_id, check_key, status, what, source_id);

-- Organisations whose monitor_failing is still to be filled from the state
-- blobs (by Assay when it opens the database: SQL cannot read the blobs).
CREATE TABLE monitor_failing_pending (
    org_id BIGINT PRIMARY KEY
);
INSERT INTO monitor_failing_pending (org_id) SELECT DISTINCT org_id FROM monitor_resources;

-- A counter per organisation that every change to its monitor_failing rows
-- raises, in the same transaction, so a server can keep the summary it
-- read until the counter moves (whichever server wrote).
CREATE TABLE monitor_failing_gen (
    org_id BIGINT PRIMARY KEY,
    gen    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE monitor_failing_gen;
DROP TABLE monitor_failing_pending;
DROP TABLE monitor_failing;
