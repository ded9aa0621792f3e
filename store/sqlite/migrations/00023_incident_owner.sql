-- +goose Up
-- An incident's owner: the admin or member who sees it through (0 or NULL:
-- nobody yet).
ALTER TABLE incidents ADD COLUMN owner_id INTEGER;

-- +goose Down
ALTER TABLE incidents DROP COLUMN owner_id;
