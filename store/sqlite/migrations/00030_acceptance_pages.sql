-- +goose Up
-- GET /api/v1/policies/acceptances reads a page by id (keyset): without an
-- index in id order within the organisation, SQLite sorted every
-- acceptance of the organisation for each page.
CREATE INDEX policy_acceptances_by_org_id ON policy_acceptances (org_id, id);

-- +goose Down
DROP INDEX policy_acceptances_by_org_id;
