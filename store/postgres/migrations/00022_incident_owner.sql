-- +goose Up
-- An incident's owner: the admin or member who sees it through (NULL:
-- nobody yet).
ALTER TABLE incidents ADD COLUMN owner_id BIGINT;

-- +goose Down
ALTER TABLE incidents DROP COLUMN owner_id;
