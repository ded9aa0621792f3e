-- +goose Up
-- A run's notes: what the collector wanted the reader to know besides the
-- results (a document that held nothing the checks judge, a value taken
-- as the provider's default). One note a line; '' when none.
ALTER TABLE monitor_runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE monitor_runs DROP COLUMN notes;
