-- +goose Up
-- A run rewrites the state of most of a source's resources. With half of
-- each page left free, the new version of a row fits beside the old one,
-- so PostgreSQL updates it in place of the page (a HOT update) without
-- adding entries to the table's two indexes; the old versions are pruned
-- as pages are read. Rows written before keep their pages until they move.
ALTER TABLE monitor_resources SET (fillfactor = 50);

-- +goose Down
ALTER TABLE monitor_resources RESET (fillfactor);
