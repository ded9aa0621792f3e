-- +goose Up
-- Which definition a run's digest follows (assay.RunDigestOf): runs
-- recorded before version 2 keep version 1.
ALTER TABLE monitor_runs ADD COLUMN digest_version INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE monitor_runs DROP COLUMN digest_version;
